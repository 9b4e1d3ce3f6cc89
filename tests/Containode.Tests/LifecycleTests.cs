using System.Text.Json;
using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Containers as objects a user names, lists, follows, stops, enters and removes: real ones from the busybox root.</summary>
public sealed class LifecycleTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    private const string Forever = "trap 'exit 0' TERM; while true; do sleep 0.1; done";

    [RootFact]
    public void Run_detached_then_ps_lists_it_with_its_pid()
    {
        using var c = new Named();
        var run = Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", Forever).EnsureSuccess();
        Assert.Equal(c.Id, run.Stdout.Trim());

        var ps = Containers.Run("ps").EnsureSuccess().Stdout;
        var row = ps.Split('\n').Single(l => l.Contains(c.Name));
        Assert.Contains("running", row);
        var pid = Json(Containers.Run("ps", "--json").EnsureSuccess().Stdout).EnumerateArray().Single(e => e.GetProperty("name").GetString() == c.Name).GetProperty("pid").GetInt32();
        Assert.EndsWith(" " + pid, row);
        Assert.Equal(c.Name, File.ReadAllText($"/proc/{pid}/root/etc/hostname").Trim());
    }

    [RootFact]
    public void Run_detached_with_init_returns_once_the_command_runs_not_when_it_ends()
    {
        using var c = new Named();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Containers.Run("run", "-d", "--init", "--name", c, "-r", root.Path, "/bin/sleep", "30").EnsureSuccess();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the init must not hold the launcher's report pipe");
        Assert.True(Running(c));
    }

    [RootFact]
    public void Logs_follow_prints_each_line_while_it_runs_and_ends_when_it_exits()
    {
        using var c = new Named();
        using var gate = new TempDir("containode-gate");
        // The container writes a line, then waits until the test has seen it, writes another, and exits.
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "-v", gate.Path + ":/gate", "/bin/sh", "-c",
            "echo first; echo oops >&2; while [ ! -e /gate/go ]; do sleep 0.05; done; echo second").EnsureSuccess();
        using var follow = Containers.Start("logs", "-f", c);
        Assert.Equal("first", follow.StandardOutput.ReadLine());
        Assert.False(follow.HasExited, "logs -f must wait while the container runs");
        File.WriteAllText(Path.Combine(gate.Path, "go"), "");
        Assert.Equal("second", follow.StandardOutput.ReadLine());
        Assert.True(follow.WaitForExit(10_000), "logs -f must end when the container exits");
        Assert.Equal(0, follow.ExitCode);
        Assert.Contains("oops", follow.StandardError.ReadToEnd());

        var tail = Containers.Run("logs", "--tail", "1", "-t", c).EnsureSuccess().Stdout;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second\n$", tail);
    }

    [RootFact]
    public void Logs_stream_a_big_log_whole_and_in_order_without_holding_it()
    {
        using var c = new Named();
        const string line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";
        // 8 MB on stdout between two lines on stderr, then a last line without its newline: a log of about 12 MB,
        // past the 10 MiB at which it starts anew, so logs reads container.log.1 and then container.log.
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c",
            $"echo start >&2; yes {line} | head -c 8000000; echo middle >&2; printf end").EnsureSuccess();
        Eventually.True(() => !Running(c), "the container to end");
        Assert.True(File.Exists(Path.Combine(ContainodeState.Lib, c.Id!, "container.log.1")), "the log to have started anew");

        // Under a 32 MiB data limit: read whole, the log took 13 times its size. Into a file, byte for byte.
        using var output = new TempDir();
        var stdout = output.Combine("stdout");
        var logs = Run.Command("sh", ["-c", "exec prlimit --data=33554432 \"$0\" logs \"$1\" > \"$2\"", Repo.Program("containode"), c, stdout],
            TimeSpan.FromSeconds(60)).EnsureSuccess();

        Assert.Equal(string.Concat(Enumerable.Repeat(line + "\n", 125_000)) + "end", File.ReadAllText(stdout));
        Assert.Equal("start\nmiddle\n", logs.Stderr);
    }

    [RootFact]
    public void Stop_escalates_to_sigkill_after_its_timeout_when_sigterm_is_trapped()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").EnsureSuccess();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Containers.Run("stop", "-t", "1", c).EnsureSuccess();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 8);
        Assert.Contains("exited (137)", Containers.Run("ps", "-a").Stdout.Split('\n').Single(l => l.Contains(c.Name)));
    }

    [RootFact]
    public void Stop_with_a_command_that_ends_on_sigterm_is_quick_and_says_so()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", Forever).EnsureSuccess();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Containers.Run("stop", c).EnsureSuccess();
        Assert.True(clock.Elapsed.TotalSeconds < 5, "SIGTERM was enough");
        var state = Json(Containers.Run("inspect", c).EnsureSuccess().Stdout)[0].GetProperty("state");
        Assert.Equal("exited", state.GetProperty("status").GetString());
        Assert.Equal(0, state.GetProperty("exitCode").GetInt32());
    }

    [RootFact]
    public void Kill_with_a_signal_reaches_the_command()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", "trap 'echo got HUP; exit 7' HUP; while true; do sleep 0.1; done").EnsureSuccess();
        Containers.Run("kill", "-s", "HUP", c).EnsureSuccess();
        Eventually.True(() => Containers.Run("ps", "-a").Stdout.Contains("exited (7)"), "the command to exit 7 on HUP");
        Assert.Contains("got HUP", Containers.Run("logs", c).Stdout);
    }

    [RootFact]
    public void Rm_leaves_no_state_top_logs_mount_port_or_process()
    {
        using var sw = new SwitchProcess();
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "-s", sw.Socket, "-4", "10.91.0.2/24", "/bin/sh", "-c", "echo hello; " + Forever).EnsureSuccess();
        var id = c.Id!;
        var pid = Pid(c);
        Assert.Contains(c.Name, sw.Nodes());
        Assert.Contains("is running", Containers.Run("rm", c).Stderr);

        Containers.Run("rm", "-f", c).EnsureSuccess();

        Assert.False(Directory.Exists($"/proc/{pid}"), "the container's process is gone");
        Assert.False(Directory.Exists(Path.Combine(ContainodeState.Lib, id)), "state, TOP and logs are gone");
        Assert.False(Directory.Exists(Path.Combine(ContainodeState.Run, id)), "the run directory is gone");
        Assert.Null(c.Id);
        Assert.DoesNotContain(ContainodeState.Run, File.ReadAllText("/proc/mounts"));
        Eventually.True(() => !sw.Nodes().Contains(c.Name), "its port to go");
        Assert.DoesNotContain(id, Containers.Run("ps", "-a").Stdout);
        Assert.DoesNotContain(id, File.ReadAllText("/proc/self/cgroup") + string.Join('\n', Directory.EnumerateDirectories("/sys/fs/cgroup", id, SearchOption.AllDirectories)));
    }

    [RootFact]
    public void Exec_sees_the_containers_processes_hostname_and_files_and_returns_its_status()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "-e", "FROM_RUN=yes", "/bin/sh", "-c", "echo made > /tmp/mark; " + Forever).EnsureSuccess();
        Eventually.True(() => Containers.Run("exec", c, "/bin/cat", "/tmp/mark").Stdout == "made\n", "the container's file");

        var r = Containers.Run("exec", "-e", "FROM_EXEC=1", c, "/bin/sh", "-c", "hostname; echo $FROM_RUN $FROM_EXEC; ps -o pid,args | grep -c 'sleep\\|while'; ls /proc | grep -c '^[0-9]'; exit 9");

        Assert.Equal(9, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.Equal(c.Name, lines[0]);
        Assert.Equal("yes 1", lines[1]);
        Assert.True(int.Parse(lines[3]) < 10, "only the container's processes: " + r.Stdout);
        Assert.Equal(127, Containers.Run("exec", c, "/no/such").ExitCode);
        Assert.Equal(1, Containers.Run("exec", "no-such-container", "/bin/true").ExitCode);
    }

    [RootFact]
    public void Run_rm_leaves_nothing()
    {
        using var c = new Named();
        var r = Containers.Run("run", "--rm", "--name", c, "-r", root.Path, "/bin/sh", "-c", "echo inside; exit 4");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("inside\n", r.Stdout);
        Assert.Null(c.Id);
        Assert.DoesNotContain(c.Name, Containers.Run("ps", "-a").Stdout);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(ContainodeState.Lib), d => File.Exists(Path.Combine(d, "info")) && File.ReadAllText(Path.Combine(d, "info")).Contains("name=" + c.Name));
    }

    [RootFact]
    public void Run_without_i_gives_no_stdin_and_with_i_passes_it_on()
    {
        using var a = new Named();
        using var b = new Named();
        var without = Run.Command(Repo.Program("containode"), ["run", "--rm", "--name", a, "-r", root.Path, "/bin/cat"], stdin: "typed\n");
        Assert.Equal("", without.Stdout);
        var with = Run.Command(Repo.Program("containode"), ["run", "--rm", "-i", "--name", b, "-r", root.Path, "/bin/cat"], stdin: "typed\n");
        Assert.Equal("typed\n", with.Stdout);
    }

    [RootFact]
    public void Restart_on_failure_3_restarts_a_failing_command_three_times()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--restart", "on-failure:3", "--name", c, "-r", root.Path, "/bin/sh", "-c", "echo try; exit 3").EnsureSuccess();
        Eventually.True(() => Containers.Run("logs", c).Stdout.Split('\n').Count(l => l == "try") == 4 && !Running(c), "a first run and three restarts", TimeSpan.FromSeconds(30));
        var info = Json(Containers.Run("inspect", c).Stdout)[0];
        Assert.Equal(3, info.GetProperty("restarts").GetInt32());
        Assert.Equal(3, info.GetProperty("state").GetProperty("exitCode").GetInt32());
    }

    [RootFact]
    public void Create_then_start_then_start_again_keeps_its_top()
    {
        using var c = new Named();
        Containers.Run("create", "--name", c, "-r", root.Path, "/bin/sh", "-c", "echo x >> /count; wc -l < /count").EnsureSuccess();
        Assert.Contains("created", Containers.Run("ps", "-a").Stdout.Split('\n').Single(l => l.Contains(c.Name)));
        Containers.Run("start", c).EnsureSuccess();
        Eventually.True(() => !Running(c) && Containers.Run("logs", c).Stdout == "1\n", "the first run");
        Containers.Run("start", c).EnsureSuccess();
        Eventually.True(() => !Running(c) && Containers.Run("logs", c).Stdout == "1\n2\n", "the second run, on the same TOP");
    }

    [RootFact]
    public void Names_are_unique_and_ids_resolve_by_prefix()
    {
        using var c = new Named();
        Containers.Run("create", "--name", c, "-r", root.Path, "/bin/true").EnsureSuccess();
        var again = Containers.Run("create", "--name", c, "-r", root.Path, "/bin/true");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("in use", again.Stderr);
        Assert.Equal(c.Name, Json(Containers.Run("inspect", c.Id![..8]).EnsureSuccess().Stdout)[0].GetProperty("name").GetString());
        Assert.Contains("no such container", Containers.Run("inspect", "zz-nothing").Stderr);
        Assert.Equal(2, Containers.Run("inspect", "--bogus", c).ExitCode);
    }

    [RootFact]
    public void A_monitor_killed_with_sigkill_leaves_an_exited_unknown_state_that_rm_cleans_up()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", Forever).EnsureSuccess();
        var monitor = int.Parse(File.ReadAllText(Path.Combine(ContainodeState.Run, c.Id!, "pids")).Split(' ')[2]);
        var first = Pid(c);
        Containet.Native.Posix.Kill(monitor, Containet.Native.Signal.Kill);
        Eventually.True(() => !Directory.Exists($"/proc/{first}"), "the container to die with its monitor");
        Assert.Contains("exited (unknown)", Containers.Run("ps", "-a").Stdout.Split('\n').Single(l => l.Contains(c.Name)));
        var id = c.Id!;
        Containers.Run("rm", c).EnsureSuccess();
        Assert.False(Directory.Exists(Path.Combine(ContainodeState.Run, id)));
        Assert.False(Directory.Exists(Path.Combine(ContainodeState.Lib, id)));
    }

    [RootFact]
    public void A_waiting_monitor_stays_small()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, "-r", root.Path, "/bin/sh", "-c", "i=0; while true; do echo $i; i=$((i+1)); sleep 0.01; done").EnsureSuccess();
        var monitor = int.Parse(File.ReadAllText(Path.Combine(ContainodeState.Run, c.Id!, "pids")).Split(' ')[2]);
        Eventually.True(() => File.ReadAllText($"/proc/{monitor}/comm").Trim() == "containet-wait", "the launcher to become containet-wait");
        Eventually.True(() => Containers.Run("logs", c).Stdout.Split('\n').Length > 20, "some logging");
        var pss = Containers.ProportionalSetKb(monitor);
        Assert.InRange(pss, 1, 400);
    }

    [RootFact]
    public void Run_t_gives_the_command_a_terminal_of_its_own_which_is_its_console()
    {
        using var c = new Named();
        // script(1) gives containode a terminal, as a user's would be.
        var line = $"{Repo.Program("containode")} run -t --rm --name {c.Name} -r {root.Path} /bin/sh -c 'tty; readlink /proc/self/fd/0; ls -l /dev/console'";
        var r = Run.Command("script", ["-qec", line, "/dev/null"]);
        var lines = r.Stdout.Replace("\r", "").Split('\n');
        Assert.Equal("/dev/pts/0", lines[0]);
        Assert.Equal("/dev/pts/0", lines[1]);
        Assert.Matches(@"^c.* 136, +0 .*/dev/console$", lines[2]);
        Assert.DoesNotContain("not a tty", r.Stdout);
    }

    [RootFact]
    public void Run_it_relays_typed_input_and_returns_the_status()
    {
        using var c = new Named();
        var line = $"{Repo.Program("containode")} run -it --rm --name {c.Name} -r {root.Path} /bin/sh -c 'read x; echo got $x; exit 5'";
        var r = Run.Command("script", ["-qec", line, "/dev/null"], stdin: "hello\n");
        Assert.Contains("got hello", r.Stdout);
        Assert.Equal(5, r.ExitCode);
    }

    private static bool Running(string name) => Containers.Run("ps").Stdout.Split('\n').Any(l => l.Contains(name));

    private static int Pid(string name) =>
        Json(Containers.Run("ps", "--json").EnsureSuccess().Stdout).EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("pid").GetInt32();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
