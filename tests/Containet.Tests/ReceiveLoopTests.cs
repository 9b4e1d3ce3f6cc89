using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// The receive loops: polling after traffic never turns into spinning, --threads still makes N loops, and two
/// ports that talk end up on one loop.
/// </summary>
public sealed class ReceiveLoopTests
{
    [RootFact]
    public void An_idle_switch_uses_no_cpu_after_traffic_stops()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.79.0.1/24");
        sw.Attach(b, "10.79.0.2/24");
        Hosts.Ping(a, "10.79.0.2", 20, "0.01").EnsureSuccess();
        // The runtime recompiles what just ran hot on a thread of its own, in bursts over a few seconds: the window
        // opens once half a second passes with under 2 ms of CPU, or after 10 s regardless (a spinning loop never
        // gets there, and then fails below).
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var last = CpuTime(sw.Pid); DateTime.UtcNow < settle;)
        {
            Thread.Sleep(500); // a sampling period, not a wait for an event
            var now = CpuTime(sw.Pid);
            if (now - last < TimeSpan.FromMilliseconds(2)) break;
            last = now;
        }

        var before = CpuTime(sw.Pid);
        Thread.Sleep(2000); // a window of time to measure, not a wait for something to happen
        var used = CpuTime(sw.Pid) - before;

        Assert.True(used < TimeSpan.FromMilliseconds(20), $"the idle switch used {used.TotalMilliseconds} ms of CPU in 2 s");
    }

    [RootFact]
    public void Polling_does_not_lose_or_reorder_frames_and_zero_turns_it_off()
    {
        foreach (var poll in (string[])["50", "0"])
        {
            using var sw = new SwitchProcess("--poll-us", poll);
            using var a = Hosts.Quiet();
            using var b = Hosts.Quiet();
            sw.Attach(a, "10.79.1.1/24");
            sw.Attach(b, "10.79.1.2/24");

            var ping = Hosts.Ping(a, "10.79.1.2", 50, "0.005");

            Assert.True(ping.ExitCode == 0 && ping.Stdout.Contains(" 50 received"), $"--poll-us {poll}: {ping.Stdout}{ping.Stderr}");
        }
    }

    [RootTheory]
    [InlineData("1")]
    [InlineData("3")]
    public void Threads_makes_that_many_receive_loops(string threads)
    {
        using var sw = new SwitchProcess("--threads", threads);

        Eventually.True(() => ReceiveThreads(sw.Pid) == int.Parse(threads), $"{threads} receive loops");
    }

    [RootFact]
    public void Two_ports_that_talk_move_onto_one_loop_and_the_others_stay_where_they_were()
    {
        using var sw = new SwitchProcess("--threads", "2");
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        using var c = Hosts.Quiet();
        using var d = Hosts.Quiet();
        sw.Attach(a, "10.79.2.1/24", "--nodeid", "a");
        sw.Attach(b, "10.79.2.2/24", "--nodeid", "b");
        sw.Attach(c, "10.79.2.3/24", "--nodeid", "c");
        sw.Attach(d, "10.79.2.4/24", "--nodeid", "d");
        // Added one by one, the ports alternate between the two loops: a and b start apart.
        Assert.NotEqual(Loop(sw, "a"), Loop(sw, "b"));
        var (cLoop, dLoop) = (Loop(sw, "c"), Loop(sw, "d"));

        Eventually.True(() =>
        {
            Hosts.Ping(a, "10.79.2.2", 100, "0.002").EnsureSuccess();
            return Loop(sw, "a") == Loop(sw, "b");
        }, "a and b on one loop", TimeSpan.FromSeconds(15));

        Assert.Contains("port b/eth0 moved from receive loop", sw.Log);
        Assert.Equal((cLoop, dLoop), (Loop(sw, "c"), Loop(sw, "d")));
        var after = Hosts.Ping(a, "10.79.2.2", 50, "0.005");
        Assert.True(after.ExitCode == 0, after.Stdout + after.Stderr);
        Assert.Contains("50 received", after.Stdout);
    }

    private static int Loop(SwitchProcess sw, string node) => sw.Port(node)!.Value.GetProperty("loop").GetInt32();

    [RootFact]
    public void A_bad_poll_budget_is_bad_usage()
    {
        var r = Run.Command(Repo.Program("containet"), "-s", "/nonexistent/sw.sock", "--poll-us", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--poll-us", r.Stderr);
    }

    /// <summary>The CPU time of the process's threads, from schedstat: nanoseconds, where stat counts 10 ms ticks.</summary>
    private static TimeSpan CpuTime(int pid) => TimeSpan.FromTicks(Directory.EnumerateDirectories($"/proc/{pid}/task")
        .Sum(t => { try { return long.Parse(File.ReadAllText(Path.Combine(t, "schedstat")).Split(' ')[0]) / 100; } catch (IOException) { return 0; } }));

    private static int ReceiveThreads(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task").Count(t => File.ReadAllText(Path.Combine(t, "comm")).StartsWith("receive-", StringComparison.Ordinal));
}
