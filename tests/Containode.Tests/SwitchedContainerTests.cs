using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Containers plugged into a real containet switch.</summary>
public sealed class SwitchedContainerTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    [RootFact]
    public void Two_containers_ping_each_other_through_containet_and_leave_nothing()
    {
        using var sw = new SwitchProcess();
        var b = "b" + Unique.Name();
        using var server = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", b, "-s", sw.Socket, "-4", "10.88.0.3/24", "--init", "/bin/sleep", "60");
        Containers.WaitUntilRunning(server);
        Assert.Contains(b, sw.Nodes());

        var a = "a" + Unique.Name();
        var ping = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", a, "-s", sw.Socket, "-4", "10.88.0.2/24", "/bin/ping", "-c", "3", "-W", "2", "10.88.0.3");

        Assert.True(ping.ExitCode == 0, ping.Stdout + ping.Stderr);
        Assert.Contains("3 packets received", ping.Stdout);
        Assert.DoesNotContain(a, sw.Nodes());
        var containerPid = Containers.FirstProcess(server);
        server.Signal(Signal.Term);
        Assert.True(server.WaitForExit(10_000));
        Assert.Equal(143, server.ExitCode);
        Eventually.True(() => sw.Nodes().Length == 0, "every port gone");
        Assert.False(Directory.Exists($"/proc/{containerPid}"), "the container's processes must be gone");
        Containers.AssertNothingLeft(a);
        Containers.AssertNothingLeft(b);
        // Each launcher unplugs its own port with the token it plugged it in with.
        Assert.DoesNotContain("rejected", sw.Log);
    }

    [RootFact]
    public void Mac_mtu_and_gateway_reach_eth0()
    {
        using var sw = new SwitchProcess();
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-s", sw.Socket, "-4", "10.92.0.2/24", "--mac", "02:aa:bb:cc:dd:ee",
            "--mtu", "9000", "--gateway", "10.92.0.1", "/bin/sh", "-c", "ip -o link show eth0; ip -o -4 addr show eth0; ip route");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("mtu 9000", r.Stdout);
        Assert.Contains("02:aa:bb:cc:dd:ee", r.Stdout);
        Assert.Contains("10.92.0.2/24", r.Stdout);
        Assert.Contains("default via 10.92.0.1", r.Stdout);
    }

    [RootFact]
    public void Without_namespaces_from_the_switch_containode_moves_its_own_tap()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        var b = "fb" + Unique.Name();
        using var server = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", b, "-s", sw.Socket, "-4", "10.93.0.3/24", "--init", "/bin/sleep", "60");
        Containers.WaitUntilRunning(server);
        Assert.Contains(b, sw.Nodes());

        var ping = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-s", sw.Socket, "-4", "10.93.0.2/24", "/bin/ping", "-c", "2", "-W", "2", "10.93.0.3");

        Assert.True(ping.ExitCode == 0, ping.Stdout + ping.Stderr);
        server.Signal(Signal.Term);
        Assert.True(server.WaitForExit(10_000));
        Eventually.True(() => sw.Nodes().Length == 0, "every port gone");
    }

    [RootFact]
    public void Killing_containode_kills_the_container_and_its_port()
    {
        using var sw = new SwitchProcess();
        var id = "k" + Unique.Name();
        using var launcher = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", id, "-s", sw.Socket, "-4", "10.89.0.2/24", "/bin/sleep", "60");
        var container = Containers.WaitUntilRunning(launcher);
        Assert.Contains(id, sw.Nodes());

        launcher.Kill();

        Eventually.True(() => !Directory.Exists($"/proc/{container}"), "the container to die with containode");
        Eventually.True(() => !sw.Nodes().Contains(id), "the port to vanish");
        Eventually.True(() => !File.ReadAllText("/proc/mounts").Contains(ContainodeState.Run), "its mounts to go with its namespace");
        // A monitor killed with SIGKILL cannot tidy up: the container shows as exited (unknown), and rm does it.
        var runDir = Path.Combine(ContainodeState.Run, ContainodeState.IdOf(id)!);
        Assert.True(Directory.Exists(runDir));
        Assert.Contains("exited (unknown)", Containers.Run("ps", "-a").EnsureSuccess().Stdout);
        Containers.Run("rm", id).EnsureSuccess();
        Assert.False(Directory.Exists(runDir), "rm runs the clean-up the monitor saved");
        Assert.Null(ContainodeState.IdOf(id));
    }

    [RootFact]
    public void A_control_socket_inside_the_container_speaks_for_its_node_only()
    {
        using var sw = new SwitchProcess();
        using var neighbour = new NetNs();
        sw.Attach(neighbour, "10.90.0.3/24", "--nodeid", "neighbour", "--token", "neighbour");
        var id = "p" + Unique.Name();
        using var launcher = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", id, "-s", sw.Socket, "-4", "10.90.0.2/24", "-p", "/tmp/containet.sock", "--init", "/bin/sleep", "60");
        var pid = Containers.WaitUntilRunning(launcher);
        Assert.Contains(id, sw.Nodes());
        using var inside = SwitchClient.Connect($"/proc/{pid}/root/tmp/containet.sock");
        using (var ports = inside.Query(new SwitchRequest.ListPorts(null)))
        {
            Assert.Contains(id, ports.RootElement.GetRawText());
            Assert.DoesNotContain("neighbour", ports.RootElement.GetRawText());
        }
        Assert.Throws<SwitchException>(() => inside.RemoveEtherFd("neighbour", "neighbour"));
        // The container's token is random, not its identity: knowing the id is not enough to unplug it.
        using var admin = SwitchClient.Connect(sw.Socket);
        Assert.Throws<SwitchException>(() => admin.RemoveEtherFd(id, id));
        Assert.Equal(2, sw.Nodes().Length);

        Assert.Equal(143, launcher.Stop());
        Containers.AssertNothingLeft(id);
    }

    [RootFact]
    public void Containers_get_their_network_back_from_a_switch_restarted_after_kill_9()
    {
        using var sw = new SwitchProcess();
        var (a, b) = ("ra" + Unique.Name(), "rb" + Unique.Name());
        using var first = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", a, "-s", sw.Socket, "-4", "10.94.0.2/24", "--init", "/bin/sleep", "60");
        using var second = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", b, "-s", sw.Socket, "-4", "10.94.0.3/24", "--init", "/bin/sleep", "60");
        var inA = $"--net=/proc/{Containers.WaitUntilRunning(first)}/ns/net";
        Containers.WaitUntilRunning(second);
        Run.Command("nsenter", inA, "ping", "-c", "1", "-W", "2", "10.94.0.3").EnsureSuccess();

        sw.Kill();
        // b's container ends while the switch is down: nothing is left to tell the switch but b's launcher being gone.
        second.Signal(Signal.Term);
        Assert.True(second.WaitForExit(10_000));
        sw.Restart();
        using var peer = new NetNs();
        sw.Attach(peer, "10.94.0.4/24");

        Eventually.True(() => Run.Command("nsenter", inA, "ping", "-c", "1", "-W", "1", "10.94.0.4").ExitCode == 0, "a's container to ping again");
        sw.WaitForLog($"port {b}/eth0 cannot come back: its launcher");
        sw.WaitForLog($"removed the stale pin of node {b}");
        Assert.DoesNotContain(b, sw.Nodes());
        Assert.False(File.Exists(Path.Combine(sw.StateDir, "netns", b)), "the pin of a container that ended is removed");

        // A restored port ends with its launcher, as it would with its connection.
        first.Signal(Signal.Term);
        Assert.True(first.WaitForExit(10_000));
        Eventually.True(() => !sw.Nodes().Contains(a) && !File.Exists(Path.Combine(sw.StateDir, "netns", a)), "a's restored port and its pin to end with its launcher");
        Containers.AssertNothingLeft(a);
        Containers.AssertNothingLeft(b);
    }
}
