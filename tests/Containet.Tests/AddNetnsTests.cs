using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// add-netns: a peer hands the switch a network namespace its own user namespace owns, and the switch makes eth0
/// inside, configured as asked. Whatever else is handed over (the host's namespace, another user's, no network
/// namespace, no namespace at all) is refused and leaves no port.
/// </summary>
public sealed class AddNetnsTests
{
    private static readonly InterfaceConfig Config =
        new(Addressing.ParseMac("02:aa:bb:cc:dd:07"), Addressing.ParseCidr("10.78.0.2/24"), 1400, Addressing.ParseAddress("10.78.0.1"));

    [RootFact]
    public void Eth0_is_made_inside_a_namespace_of_the_peers_own_and_ends_with_the_connection()
    {
        using var sw = new SwitchProcess();
        using var owned = new OwnedNetns();
        var node = "give" + Unique.Name();
        var client = SwitchClient.Connect(sw.Socket);
        using (var ns = owned.Open())
            client.AddNetns(node, "eth0", node, Config, ns);

        Assert.Contains(node, sw.Nodes());
        var eth0 = owned.Exec("ip", "-o", "link", "show", "eth0").Stdout;
        Assert.Contains("02:aa:bb:cc:dd:07", eth0);
        Assert.Contains("mtu 1400", eth0);
        Assert.Contains("UP", eth0);
        Assert.Contains("inet 10.78.0.2/24", owned.Exec("ip", "-o", "-4", "addr", "show", "eth0").Stdout);
        Assert.Contains("default via 10.78.0.1", owned.Exec("ip", "route").Stdout);
        // The TAP made inside keeps the namespace alive, so the connection decides when the port ends.
        client.Dispose();
        Eventually.True(() => !sw.Nodes().Contains(node), "the port to end with the connection");
        Eventually.True(() => !owned.Exec("ip", "-o", "link").Stdout.Contains("eth0"), "eth0 to go with its port");
    }

    [RootFact]
    public void The_hosts_own_network_namespace_is_refused()
    {
        using var sw = new SwitchProcess();
        using var client = SwitchClient.Connect(sw.Socket);
        using var host = NetNamespace.Open("/proc/self/ns/net");

        var e = Assert.Throws<SwitchException>(() => client.AddNetns("h", "eth0", "host", Config, host));

        Assert.Contains("belongs to the host's user namespace", e.Message);
        Assert.Empty(sw.Nodes());
        Assert.DoesNotContain("10.78.0.2", Run.Command("ip", "-o", "-4", "addr").Stdout);
    }

    [RootFact]
    public void A_namespace_of_another_users_user_namespace_is_refused()
    {
        using var sw = new SwitchProcess();
        using var client = SwitchClient.Connect(sw.Socket);
        using var nobodys = new OwnedNetns(65534);
        using var ns = nobodys.Open();

        var e = Assert.Throws<SwitchException>(() => client.AddNetns("n", "eth0", "other", Config, ns));

        Assert.Contains("is uid 65534's, not yours (uid 0)", e.Message);
        Assert.Empty(sw.Nodes());
        Assert.DoesNotContain("eth0", nobodys.Exec("ip", "-o", "link").Stdout);
    }

    [RootFact]
    public void What_is_not_a_network_namespace_is_refused()
    {
        using var sw = new SwitchProcess();
        using var client = SwitchClient.Connect(sw.Socket);
        using var owned = new OwnedNetns();
        using var user = OpenFile($"/proc/{owned.Pid}/ns/user");
        using var uts = OpenFile("/proc/self/ns/uts");
        using var file = OpenFile("/etc/hostname");

        Assert.Contains("this is a user namespace", Assert.Throws<SwitchException>(() => client.AddNetns("t", "eth0", "user", Config, user)).Message);
        Assert.Contains("this is a uts namespace", Assert.Throws<SwitchException>(() => client.AddNetns("t", "eth0", "uts", Config, uts)).Message);
        Assert.Contains("this is no namespace", Assert.Throws<SwitchException>(() => client.AddNetns("t", "eth0", "file", Config, file)).Message);
        Assert.Contains("needs a file descriptor", client.Raw("""{"add-netns":{"ifname":"eth0","nodeid":"nofd"}}"""u8));
        Assert.Contains("eth0 only", client.Raw("""{"add-netns":{"ifname":"eth1","nodeid":"eth1"}}"""u8, uts));
        Assert.Empty(sw.Nodes());
    }

    [RootFact]
    public void A_namespace_given_twice_gets_one_port()
    {
        using var sw = new SwitchProcess();
        using var client = SwitchClient.Connect(sw.Socket);
        using var owned = new OwnedNetns();
        using var ns = owned.Open();
        client.AddNetns("t", "eth0", "first", Config, ns);

        Assert.Throws<SwitchException>(() => client.AddNetns("t", "eth0", "second", Config, ns));

        Assert.Equal(["first"], sw.Nodes());
    }

    [RootFact]
    public void A_user_holds_at_most_max_connections_per_peer_such_ports()
    {
        using var sw = new SwitchProcess("--max-connections-per-peer", "2");
        using var a = new OwnedNetns();
        using var b = new OwnedNetns();
        using var c = new OwnedNetns();
        var first = SwitchClient.Connect(sw.Socket);
        using (var ns = a.Open()) first.AddNetns("t", "eth0", "a", Config, ns);
        using (var ns = b.Open()) first.AddNetns("t", "eth0", "b", Config, ns);

        using var second = SwitchClient.Connect(sw.Socket);
        using var nsC = c.Open();
        var e = Assert.Throws<SwitchException>(() => second.AddNetns("t", "eth0", "c", Config, nsC));
        Assert.Contains("too many ports in namespaces of uid 0: 2", e.Message);
        Assert.DoesNotContain("eth0", c.Exec("ip", "-o", "link").Stdout);

        first.Dispose();
        Eventually.True(() => sw.Nodes().Length == 0, "the first connection's ports to end with it");
        second.AddNetns("t", "eth0", "c", Config, nsC);
        Assert.Equal(["c"], sw.Nodes());
    }

    [RootFact]
    public void The_original_switch_is_told_apart_and_refused_by_the_client()
    {
        using var original = new OriginalSwitch();
        using var client = SwitchClient.Connect(original.Socket);
        using var owned = new OwnedNetns();
        using var ns = owned.Open();

        var e = Assert.Throws<SwitchException>(() => client.AddNetns("t", "eth0", "n", Config, ns));

        Assert.Contains("original protocol", e.Message);
        Assert.DoesNotContain(original.Requests, r => r.Contains("add-netns", StringComparison.Ordinal));
    }

    /// <summary>Any file, opened read-only as a namespace would be.</summary>
    private static SafeFd OpenFile(string path) => NetNamespace.Open(path);
}
