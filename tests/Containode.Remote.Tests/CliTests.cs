namespace Containode.Remote.Tests;

/// <summary>containode's own verbs against the node, through CONTAINODE_HOST and the TLS variables, as a user types them.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class CliTests(BusyboxRoot root)
{
    [RootFact]
    public void Run_ps_logs_stop_and_rm_act_on_the_remote_node()
    {
        using var node = new RemoteNode(root.Path);
        var env = new Dictionary<string, string>
        {
            ["CONTAINODE_HOST"] = node.Address,
            ["CONTAINODE_TLS_CERT"] = node.Pki.Cert("alice"),
            ["CONTAINODE_TLS_KEY"] = node.Pki.Key("alice"),
            ["CONTAINODE_TLS_CA"] = node.Pki.Ca,
            ["CONTAINODE_TLS_SERVER_NAME"] = TestPki.ServerName,
            // The local state is not the node's: a verb that ran locally would not find the job.
            ["CONTAINET_LIB_DIR"] = "/nonexistent",
        };
        RunResult Containode(params string[] args) => Run.Command(Repo.Program("containode"), args, TimeSpan.FromSeconds(60), env: env);

        var id = Containode("run", "-d", "--name", "web", "-r", "busybox", "--memory", "64m", "sh", "-c", "echo hello; echo warn >&2; sleep 0.5; echo world").EnsureSuccess().Stdout.Trim();
        var logs = Containode("logs", "-f", "web").EnsureSuccess();
        var ps = Containode("ps", "-a").EnsureSuccess().Stdout;
        var longer = Containode("run", "-d", "-r", "busybox", "sleep", "1000").EnsureSuccess().Stdout.Trim();
        var stop = Containode("stop", "-t", "1", longer[..12]).EnsureSuccess();
        var rm = Containode("rm", "web", longer).EnsureSuccess();
        var after = Containode("ps", "-a", "-q").EnsureSuccess().Stdout;
        var foreground = Containode("run", "--rm", "-r", "busybox", "sh", "-c", "echo here; exit 5");

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("hello\nworld\n", logs.Stdout);
        Assert.Equal("warn\n", logs.Stderr);
        Assert.Contains(id[..12], ps);
        Assert.Contains("web", ps);
        Assert.Contains("exited (0)", ps);
        Assert.Equal(longer + "\n", stop.Stdout);
        Assert.Equal("", after.Trim());
        Assert.Equal(5, foreground.ExitCode);
        Assert.Equal("here\n", foreground.Stdout);
        Assert.Equal(2, Containode("stop", "--bogus", "x").ExitCode);
        Assert.Equal(1, Containode("inspect", "nothing").ExitCode);
    }
}
