using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>Control connections cannot exhaust the switch: they are capped, served without a thread each, and idle ones end.</summary>
public sealed class ConnectionLimitTests
{
    [RootFact]
    public void Connections_over_the_caps_are_refused_while_frames_still_flow()
    {
        using var sw = new SwitchProcess("--netns-pool", "0", "--max-connections", "20", "--max-connections-per-peer", "15");
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.70.0.1/24", "--token", "ta");
        sw.Attach(b, "10.70.0.2/24");
        var inside = sw.Dir.Combine("a.sock");
        using (var listener = UnixSocket.Listen(inside))
        using (var admin = SwitchClient.Connect(sw.Socket))
            admin.AddCtrlSock("ta", a.Name, listener);
        var threads = sw.Threads;
        var held = new List<ControlStream>();
        try
        {
            // 15 of root on the switch's socket, then 5 on node a's: 20 in all.
            for (var i = 0; i < 20; i++)
            {
                var c = new ControlStream(i < 15 ? sw.Socket : inside);
                held.Add(c);
                c.Write("""{"list-ports":{}}""");
                Assert.StartsWith("""{"ports":""", c.Read(1)[0]);
            }

            using (var sixteenth = new ControlStream(sw.Socket))
            {
                Assert.Contains("too many connections", sixteenth.Read(1)[0]);
                Assert.True(sixteenth.ClosedWithin(TimeSpan.FromSeconds(5)), "a refused connection is closed");
            }
            for (var i = 0; i < 30; i++)
            {
                using var over = new ControlStream(inside);
                Assert.Contains("too many connections", over.Read(1)[0]);
            }

            Assert.True(sw.Threads <= threads + 4, $"{sw.Threads} threads for 20 connections, {threads} before");
            Hosts.Ping(a, "10.70.0.2").EnsureSuccess();
        }
        finally
        {
            foreach (var c in held) c.Dispose();
        }
        // Once they are gone the switch answers again; 31 refusals are logged about once a second, not 31 times.
        using var client = SwitchClient.Connect(sw.Socket);
        client.Query(new SwitchRequest.ListPorts(null)).Dispose();
        var refusals = sw.Log.Split('\n').Count(l => l.Contains("refused a connection"));
        Assert.InRange(refusals, 1, 4);
    }

    [RootFact]
    public void Idle_connections_are_closed_but_one_holding_a_taken_port_stays()
    {
        using var sw = new SwitchProcess("--idle-timeout", "1");
        var node = "idle" + Unique.Name();
        using var launcher = SwitchClient.Connect(sw.Socket);
        using var ns = launcher.TakeNetns(node, "eth0", node);
        using var idle = new ControlStream(sw.Socket);

        Assert.True(idle.ClosedWithin(TimeSpan.FromSeconds(10)), "an idle connection is closed");

        // The launcher's connection is older than the idle one, and still serves: its port lives on.
        using var ports = launcher.Query(new SwitchRequest.ListPorts(null));
        Assert.Contains(node, ports.RootElement.GetRawText());
    }

    [RootFact]
    public void The_switch_outlives_a_pids_cgroup_with_no_room_left()
    {
        Assert.True(PidsCgroup.Available, "needs the cgroup v1 pids controller at /sys/fs/cgroup/pids");
        using var cgroup = new PidsCgroup();
        using var sw = SwitchProcess.InCgroup(cgroup.Path, "--max-connections-per-peer", "200");
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.71.0.1/24");
        sw.Attach(b, "10.71.0.2/24");
        Hosts.Ping(a, "10.71.0.2", 1).EnsureSuccess();
        cgroup.Limit(cgroup.Current);

        // take-netns needs a thread to enter the new namespace: with none to be had it is refused; either way
        // the switch answers.
        using (var taker = new ControlStream(sw.Socket))
        {
            taker.Write("""{"authtoken":"t","take-netns":{"ifname":"eth0","nodeid":"pids"}}""");
            Assert.NotEmpty(taker.Read(1));
        }
        var held = new List<ControlStream>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var c = new ControlStream(sw.Socket);
                held.Add(c);
                c.Write("""{"list-ports":{}}""");
            }
            foreach (var c in held) Assert.NotEmpty(c.Read(1));
            Hosts.Ping(a, "10.71.0.2").EnsureSuccess();
            Assert.False(sw.HasExited, sw.Log);
        }
        finally
        {
            foreach (var c in held) c.Dispose();
        }
        using var client = SwitchClient.Connect(sw.Socket);
        client.Query(new SwitchRequest.ListPorts(null)).Dispose();
    }
}
