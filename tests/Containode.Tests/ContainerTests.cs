using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Real containers from a real busybox root.</summary>
public sealed class ContainerTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    [RootFact]
    public void The_command_is_pid_1_with_its_own_hostname_and_proc()
    {
        var id = "t" + Unique.Name();
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "/bin/sh", "-c", "echo $$; hostname; cat /etc/hostname; ls -d /proc/[0-9]*");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", lines[0]);
        Assert.Equal(id, lines[1]);
        Assert.Equal(id, lines[2]);
        var pids = lines[3..].Select(l => int.Parse(l["/proc/".Length..])).ToList();
        Assert.Contains(1, pids);
        Assert.True(pids.All(p => p < 20), "only the container's processes: " + string.Join(' ', pids));
        Containers.AssertNothingLeft(id);
    }

    [RootFact]
    public void A_launcher_that_hands_its_wait_over_leaves_no_runtime_files_in_tmp()
    {
        // containode execs containet-wait, so nothing of it runs at exit: a runtime that made debugger FIFOs or
        // a diagnostics socket in /tmp would leave them behind with every container. The native build makes none.
        using var launcher = Containers.Start("-r", root.Path, "-t", root.NewTop(), "/bin/true");
        Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(60)), "containode did not end");
        Assert.Equal(0, launcher.ExitCode);
        var left = Directory.EnumerateFileSystemEntries(Path.GetTempPath())
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith($"clr-debug-pipe-{launcher.Id}-", StringComparison.Ordinal)
                || n.StartsWith($"dotnet-diagnostic-{launcher.Id}-", StringComparison.Ordinal)));
        Assert.Empty(left);
    }

    [RootFact]
    public void Device_nodes_work()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c",
            "echo gone > /dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 16 /dev/urandom | wc -c && if echo x > /dev/full; then echo full-accepted; fi; ls /dev/pts/ptmx");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("00 00 00 00", r.Stdout);
        Assert.Contains("16", r.Stdout);
        Assert.DoesNotContain("full-accepted", r.Stdout);
        Assert.Contains("/dev/pts/ptmx", r.Stdout);
    }

    [RootFact]
    public void Writes_land_in_top_not_root_and_persist_with_the_same_top()
    {
        var top = root.NewTop();
        var first = Containers.Run("-r", root.Path, "-t", top, "/bin/sh", "-c", "mkdir -p /data && echo kept > /data/f");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"fs modifications saved to {top}", first.Stderr);

        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(top, "root", "data", "f")));
        Assert.False(File.Exists(Path.Combine(root.Path, "data", "f")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(top, "work")));

        var second = Containers.Run("-r", root.Path, "-t", top, "/bin/cat", "/data/f");
        Assert.Equal("kept\n", second.Stdout);
    }

    [RootFact]
    public void Without_top_changes_go_to_the_containers_state_directory_and_stay_for_its_next_run()
    {
        var id = "t" + Unique.Name();
        var first = Containers.Run("-r", root.Path, "-i", id, "/bin/touch", "/made").EnsureSuccess();
        var top = Path.Combine(ContainodeState.Lib, ContainodeState.IdOf(id)!);
        Assert.Contains($"fs modifications saved to {top}", first.Stderr);
        Assert.True(File.Exists(Path.Combine(top, "root", "made")));
        Assert.False(Path.Exists(root.Path + "." + id), "nothing beside ROOT any more");

        // The same identity again is the same container, with the same TOP.
        Containers.Run("-r", root.Path, "-i", id, "/bin/ls", "/made").EnsureSuccess();
        Containers.Run("rm", id).EnsureSuccess();
        Assert.False(Directory.Exists(top), "rm removes the default TOP");
    }

    [RootFact]
    public void No_overlay_writes_straight_into_root()
    {
        using var dir = new TempDir("containode-c");
        Run.Command("cp", "-a", root.Path, dir.Combine("r")).EnsureSuccess();
        Containers.Run("-C", "-r", dir.Combine("r"), "/bin/touch", "/direct").EnsureSuccess();
        Assert.True(File.Exists(dir.Combine("r", "direct")));
    }

    [RootTheory]
    [InlineData(new[] { "/bin/true" }, 0)]
    [InlineData(new[] { "/bin/sh", "-c", "exit 42" }, 42)]
    [InlineData(new[] { "/no/such/command" }, 127)]
    [InlineData(new[] { "nosuchcommand" }, 127)]
    [InlineData(new[] { "/etc/passwd" }, 126)]
    [InlineData(new[] { "--init", "/bin/sh", "-c", "kill -9 $$" }, 137)]
    public void The_exit_status_is_the_commands(string[] command, int expected)
    {
        var r = Containers.Run(["-r", root.Path, "-t", root.NewTop(), .. command]);
        Assert.True(expected == r.ExitCode, $"exit {r.ExitCode}: {r.Stderr}");
    }

    [RootFact]
    public void Sigterm_to_containode_reaches_the_container()
    {
        var id = "t" + Unique.Name();
        using var launcher = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", id, "--init", "/bin/sleep", "60");
        // Sent as soon as the container exists, possibly before init has its handlers: it must not be lost.
        Containers.FirstProcess(launcher);

        launcher.Signal(Containet.Native.Signal.Term);

        Assert.True(launcher.WaitForExit(10_000), "containode must exit once the container did");
        Assert.Equal(143, launcher.ExitCode);
        Containers.AssertNothingLeft(id);
    }

    [RootFact]
    public void A_waiting_containode_keeps_no_runtime_in_memory()
    {
        var id = "w" + Unique.Name();
        var top = root.NewTop();
        using var launcher = Containers.Start("-r", root.Path, "-t", top, "-i", id, "--init", "/bin/sleep", "60");
        Containers.WaitUntilRunning(launcher);

        // Once the container runs, containode has become containet-wait: a waiting runc parent takes ~2.7 MB PSS.
        Eventually.True(() => Containers.ProportionalSetKb(launcher.Id) is > 0 and < 1024, "the waiting containode's PSS to drop under 1 MB");
        Assert.True(Directory.Exists(top + "/work/work"), "the overlay's work dir is in use while the container runs");

        launcher.Signal(Containet.Native.Signal.Term);
        Assert.True(launcher.WaitForExit(10_000), "containode must exit once the container did");
        Assert.Equal(143, launcher.ExitCode);
        Assert.Contains($"fs modifications saved to {top}", launcher.StandardError.ReadToEnd());
        Assert.Empty(Directory.GetFileSystemEntries(top + "/work"));
        Containers.AssertNothingLeft(id);
    }

    [RootFact]
    public void Sharing_the_hosts_network_and_ipc()
    {
        var own = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c", "ip -o link | wc -l; readlink /proc/self/ns/ipc");
        var shared = Containers.Run("-N", "-I", "-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c", "ip -o link | wc -l; readlink /proc/self/ns/ipc");
        var hostIpc = new FileInfo("/proc/self/ns/ipc").LinkTarget;
        var hostLinks = Run.Command("ip", "-o", "link").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.Equal("1", own.Stdout.Split('\n')[0].Trim());
        Assert.NotEqual(hostIpc, own.Stdout.Split('\n')[1].Trim());
        Assert.Equal(hostLinks.ToString(), shared.Stdout.Split('\n')[0].Trim());
        Assert.Equal(hostIpc, shared.Stdout.Split('\n')[1].Trim());
    }

    [RootFact]
    public void Bind_mounts_read_write_and_read_only()
    {
        using var dir = new TempDir("containode-v");
        Directory.CreateDirectory(dir.Combine("rw"));
        Directory.CreateDirectory(dir.Combine("ro"));
        File.WriteAllText(dir.Combine("ro", "given"), "from host");

        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", dir.Combine("rw") + ":/mnt/rw", "-v", dir.Combine("ro") + ":/mnt/ro:ro",
            "/bin/sh", "-c", "echo written > /mnt/rw/out; cat /mnt/ro/given; if touch /mnt/ro/nope 2>/dev/null; then echo ro-writable; fi");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("written\n", File.ReadAllText(dir.Combine("rw", "out")));
        Assert.Contains("from host", r.Stdout);
        Assert.DoesNotContain("ro-writable", r.Stdout);
        Assert.False(File.Exists(dir.Combine("ro", "nope")));
    }

    [RootFact]
    public void Without_a_root_the_host_root_stays_with_a_private_proc()
    {
        var r = Containers.Run("/bin/busybox", "sh", "-c", "echo $$; ls -d /proc/[0-9]* | wc -l; test -d /work && echo host-root");
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", lines[0]);
        Assert.True(int.Parse(lines[1].Trim()) < 5);
        Assert.Equal("host-root", lines[2]);
        Assert.True(File.Exists("/proc/1/status") && File.ReadAllText("/proc/1/status").Length > 0);
    }

    [RootFact]
    public void Environment_and_working_directory()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-e", "FOO=bar", "-w", "/tmp", "/bin/sh", "-c", "echo $FOO $container $HOME; pwd; echo $PATH");
        Assert.Equal(["bar containet /root", "/tmp", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
