using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Containers described by config files (minimal_containers' format) in a folder of the test's own.</summary>
public sealed class ConfigFileTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>, IDisposable
{
    private readonly TempDir configs = new("containode-configs");
    private readonly List<string> names = [];

    private string Write(string name, string text)
    {
        names.Add(name);
        File.WriteAllText(configs.Combine(name + ".conf"), text);
        return name;
    }

    private RunResult Containode(string verb, params string[] args) => Containers.Run([verb, "--config-dir=" + configs.Path, .. args]);

    [RootFact]
    public void A_config_file_with_every_key_this_issue_implements_starts_its_container()
    {
        using var shared = new TempDir("containode-shared");
        File.WriteAllText(shared.Combine("in"), "from the host\n");
        File.WriteAllText(shared.Combine("tool"), "#!/bin/sh\necho tool ran with \"$@\" as $(id -u):$(id -g) in $(pwd) $GREETING\n");
        File.SetUnixFileMode(shared.Combine("tool"), (UnixFileMode)0x1ed);
        var name = "f" + Unique.Name();
        Write(name, $"""
            # every key of this issue
            root={root.Path}
            init=@{shared.Combine("tool")}
            arg=one
            arg=two words
            namespaces=phi
            mount={shared.Path}:/shared
            mount=/nonexistent/source:/missing
            mount_ro={shared.Path}:/ro
            env=GREETING=hi
            workdir=/tmp
            user=1000:1000
            reaper=true
            restart=no
            cap_drop=NET_RAW
            security_opt=no-new-privileges
            read_only=false

            """);
        var start = Containers.Run("start", "--config-dir", configs.Path, name);
        Assert.True(start.ExitCode == 0, start.Stderr);
        Eventually.True(() => Containers.Run("logs", name).Stdout.Contains("tool ran"), "the container's output");
        var logs = Containers.Run("logs", name).Stdout;
        Assert.Contains("tool ran with one two words as 1000:1000 in /tmp hi", logs);
        Assert.Contains("warning: mount /nonexistent/source:/missing", Containers.Run("logs", name).Stderr);
        Assert.Contains(name, Containers.Run("ps", "-a").Stdout);
        Containers.Run("rm", "-f", name).EnsureSuccess();
    }

    [RootFact]
    public void Start_all_starts_each_good_file_and_reports_the_broken_one_without_stopping()
    {
        var a = Write("a" + Unique.Name(), $"root={root.Path}\ninit=/bin/sleep\narg=30\n");
        var b = Write("b" + Unique.Name(), $"root={root.Path}\nbogus_key=1\n");
        var c = Write("c" + Unique.Name(), $"root={root.Path}\ninit=/bin/sleep\narg=30\n");

        var r = Containode("start-all");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{a}: started", r.Stdout);
        Assert.Contains($"{b}: failed: {configs.Combine(b + ".conf")}:2: unknown key 'bogus_key'", r.Stdout);
        Assert.Contains($"{c}: started", r.Stdout);
        Assert.Contains($"{a}: already running", Containode("start-all").Stdout);

        var stop = Containode("stop-all", "-t", "1");
        Assert.Equal(0, stop.ExitCode);
        Assert.DoesNotContain(a, Containers.Run("ps").Stdout);
        Assert.DoesNotContain(c, Containers.Run("ps").Stdout);
    }

    [RootFact]
    public void Crlf_and_unknown_keys_and_bad_values_name_the_file_and_the_line()
    {
        var crlf = Write("r" + Unique.Name(), $"root={root.Path}\r\ninit=/bin/true\r\n");
        var unknown = Write("u" + Unique.Name(), $"root={root.Path}\n\n# fine\nrooot=/x\n");
        var memory = Write("m" + Unique.Name(), $"root={root.Path}\ninit=/bin/true\nmax_memory=lots\n");

        var r1 = Containode("start", crlf);
        Assert.Equal(1, r1.ExitCode);
        Assert.Contains($"{configs.Combine(crlf + ".conf")}:1: CRLF", r1.Stderr);
        Assert.Contains($"{configs.Combine(unknown + ".conf")}:4: unknown key 'rooot'", Containode("start", unknown).Stderr);
        var r3 = Containode("start", memory);
        Assert.Contains($"{configs.Combine(memory + ".conf")}:3: max_memory: ", r3.Stderr);
        Assert.Contains("no such file", Containode("start", "nothing" + Unique.Name()).Stderr);
    }

    public void Dispose()
    {
        foreach (var name in names)
            if (ContainodeState.IdOf(name) is not null) Containers.Run("rm", "-f", name);
        configs.Dispose();
    }
}
