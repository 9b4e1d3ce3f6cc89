using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>take-netns: the switch hands out a namespace whose eth0 is already its port.</summary>
public sealed class NetnsPoolTests
{
    [RootFact]
    public void A_taken_namespace_has_a_port_that_ends_when_the_namespace_is_let_go()
    {
        using var sw = new SwitchProcess();
        var node = "take" + Unique.Name();
        using (var client = SwitchClient.Connect(sw.Socket))
        using (var ns = client.TakeNetns(node, "eth0", node))
        {
            Assert.Contains(node, sw.Nodes());
            var links = NetNamespace.Run(ns, () => Netlink.LinkIndex("eth0"));
            Assert.True(links > 0, "eth0 must be inside the namespace");
            Assert.Throws<SwitchException>(() => client.TakeNetns(node, "eth1", node + "x"));
        }

        // Nothing holds the namespace any more: it dies, its TAP with it, and the port ends.
        Eventually.True(() => !sw.Nodes().Contains(node), "the port to end with its namespace");
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
