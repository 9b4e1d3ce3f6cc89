namespace Containode.Remote.Tests;

/// <summary>containode's native main, which hands `serve` and the remote verbs to the programs beside it.</summary>
public sealed class HandOffTests
{
    private static RunResult Containode(string program, Dictionary<string, string> env, params string[] args) =>
        Run.Command(program, args, TimeSpan.FromSeconds(30), env: env);

    [Fact]
    public void A_remote_host_sends_only_the_remote_verbs_to_the_client()
    {
        var program = Repo.Program("containode");
        var remote = new Dictionary<string, string> { ["CONTAINODE_HOST"] = "127.0.0.1:9" };

        Assert.Contains("on a remote node's containode serve", Containode(program, remote, "ps", "--help").EnsureSuccess().Stdout);
        Assert.Contains("on a remote node's containode serve", Containode(program, [], "-H", "127.0.0.1:9", "ps", "--help").EnsureSuccess().Stdout);
        Assert.DoesNotContain("remote node", Containode(program, [], "ps", "--help").EnsureSuccess().Stdout);
        // create has no remote form: it stays on this node, host or not.
        Assert.DoesNotContain("remote node", Containode(program, remote, "create", "--help").EnsureSuccess().Stdout);
        Assert.Contains("--tls-ca", Containode(program, remote, "serve", "--help").EnsureSuccess().Stdout);
    }

    [Fact]
    public void A_containode_alone_says_what_is_missing_and_how_to_install_it()
    {
        using var alone = new TempDir();
        var folder = alone.Combine("containode");
        Directory.CreateDirectory(folder);
        File.Copy(Repo.Program("containode"), Path.Combine(folder, "containode"));
        File.SetUnixFileMode(Path.Combine(folder, "containode"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var serve = Containode(Path.Combine(folder, "containode"), [], "serve", "--help");
        var remote = Containode(Path.Combine(folder, "containode"), [], "--host", "127.0.0.1:9", "ps");

        Assert.Equal(1, serve.ExitCode);
        Assert.Equal($"containode: {alone.Path}/containode-serve/containode-serve is missing: containode serve and remote nodes need it installed beside containode (make install)\n", serve.Stderr);
        Assert.Equal(1, remote.ExitCode);
        Assert.Contains($"{alone.Path}/containode-remote/containode-remote is missing", remote.Stderr);
        // The rest is containode's own, runtime and all.
        Assert.Equal(0, Containode(Path.Combine(folder, "containode"), [], "ps", "--help").ExitCode);
    }

    [Fact]
    public void The_client_is_linked_at_a_fixed_address_and_the_server_is_not()
    {
        // ELF e_type: 2 is an executable at a fixed address, 3 a position-independent one (the Makefile says why).
        static int ElfType(string program)
        {
            var header = new byte[18];
            using var file = File.OpenRead(Path.GetFullPath(Repo.Program(program)));
            file.ReadExactly(header);
            return header[16] | header[17] << 8;
        }

        Assert.Equal(2, ElfType("containode-remote"));
        Assert.Equal(3, ElfType("containode-serve"));
    }
}
