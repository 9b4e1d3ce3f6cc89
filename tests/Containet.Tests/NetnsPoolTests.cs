using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>take-netns: the switch hands out a namespace whose eth0 is already its port, configured as asked.</summary>
public sealed class NetnsPoolTests
{
    [RootFact]
    public void A_taken_namespace_comes_configured_and_its_port_ends_with_the_connection()
    {
        using var sw = new SwitchProcess();
        var node = "take" + Unique.Name();
        var config = new InterfaceConfig(Addressing.ParseMac("02:aa:bb:cc:dd:01"), Addressing.ParseCidr("10.77.0.2/24"), 1400, Addressing.ParseAddress("10.77.0.1"));
        var client = SwitchClient.Connect(sw.Socket);
        using var ns = client.TakeNetns(node, "eth0", node, config);
        Assert.Contains(node, sw.Nodes());
        var inside = $"--net=/proc/{Environment.ProcessId}/fd/{ns.Namespace.Number}";
        var eth0 = Run.Command("nsenter", inside, "ip", "-o", "link", "show", "eth0").Stdout;
        Assert.Contains("02:aa:bb:cc:dd:01", eth0);
        Assert.Contains("mtu 1400", eth0);
        Assert.Contains("UP", eth0);
        Assert.Contains("inet 10.77.0.2/24", Run.Command("nsenter", inside, "ip", "-o", "-4", "addr", "show", "eth0").Stdout);
        Assert.Contains("default via 10.77.0.1", Run.Command("nsenter", inside, "ip", "route").Stdout);
        Assert.Contains("UP", Run.Command("nsenter", inside, "ip", "-o", "link", "show", "lo").Stdout);

        // The TAP lives inside and keeps the namespace alive, so the connection that took it decides: a
        // launcher killed with SIGKILL closes it too.
        client.Dispose();
        Eventually.True(() => !sw.Nodes().Contains(node), "the port to end with the connection that took it");
    }

    [RootFact]
    public void A_bad_configuration_is_refused_and_leaves_no_port()
    {
        using var sw = new SwitchProcess();
        using var client = SwitchClient.Connect(sw.Socket);
        var reply = client.Raw("""{"take-netns":{"ifname":"eth0","nodeid":"bad","ipv4":"10.1.2.300/24"}}"""u8);
        Assert.Contains("take-netns", reply);
        Assert.Contains("10.1.2.300", reply);
        Assert.Throws<SwitchException>(() => client.TakeNetns("n", "eth1", "n"));
        Assert.DoesNotContain("bad", sw.Nodes());
        using var ns = client.TakeNetns("good", "eth0", "good");
        Assert.Contains("good", sw.Nodes());
        client.RemoveEtherFd("good", "good");
        Assert.DoesNotContain("good", sw.Nodes());
    }

    [RootFact]
    public void Without_a_pool_take_netns_is_refused_and_a_launcher_can_fall_back()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var client = SwitchClient.Connect(sw.Socket);
        var e = Assert.Throws<SwitchException>(() => client.TakeNetns("n", "eth0", "n"));
        Assert.Contains("--netns-pool", e.Message);
    }
}
