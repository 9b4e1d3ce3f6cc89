using System.Text.Json;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests.Network;

/// <summary>The switch's network from the outside of any container: its host port, its nftables table, the CLI.</summary>
public sealed class SwitchNetworkTests
{
    private static string Ruleset(HostNetwork net) => net.Host.Exec("nft", "list", "ruleset").EnsureSuccess().Stdout;

    [RootFact]
    public void The_nat_table_is_the_switchs_own_and_goes_at_exit_also_after_kill_9_and_a_restart()
    {
        using var net = new HostNetwork();
        // Someone else's table in the same namespace, which the switch must leave alone.
        Run.Command("ip", ["netns", "exec", net.Host.Name, "nft", "-f", "-"], stdin: "table ip theirs {\n chain c {\n  type filter hook forward priority 0;\n }\n}\n").EnsureSuccess();
        using var sw = net.Switch("--subnet", "10.88.0.0/16", "--nat");
        Assert.Contains("table ip containet-containet0", Ruleset(net));
        Assert.Equal("1", net.Host.Exec("cat", "/proc/sys/net/ipv4/ip_forward").Stdout.Trim());
        Assert.Contains("10.88.0.1/16", net.Host.Exec("ip", "-o", "-4", "addr", "show", "containet0").EnsureSuccess().Stdout);

        sw.Kill();
        Assert.Contains("table ip containet-containet0", Ruleset(net)); // nothing of the switch's own clean-up ran
        sw.Restart();
        Assert.Single(Ruleset(net).Split('\n'), l => l.StartsWith("table ip containet-", StringComparison.Ordinal));
        Assert.Equal(0, sw.Stop());

        var left = Ruleset(net);
        Assert.DoesNotContain("containet", left);
        Assert.Contains("table ip theirs", left);
        Assert.NotEqual(0, net.Host.Exec("ip", "link", "show", "containet0").ExitCode);
    }

    [RootFact]
    public void A_host_port_name_in_use_is_a_clear_error()
    {
        using var net = new HostNetwork();
        net.Host.Exec("ip", "link", "add", "taken0", "type", "veth", "peer", "name", "taken1").EnsureSuccess();
        var e = Assert.Throws<InvalidOperationException>(() => net.Switch("--subnet", "10.88.0.0/16", "--host-port", "taken0").Dispose());
        Assert.Contains("choose another --host-port", e.Message);
    }

    [RootFact]
    public void The_socket_option_may_come_before_the_subcommand_and_detach_ends_a_node()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", "10.88.0.0/16");
        using var ns = Hosts.Quiet();
        sw.Attach(ns, "10.88.0.50/16");
        var before = Run.Command(Repo.Program("containet"), "-s", sw.Socket, "ports").EnsureSuccess().Stdout;
        Assert.Contains(ns.Name, before);
        Assert.Contains("ADDRESS", before);
        Assert.Equal(before.Split('\n')[0], Run.Command(Repo.Program("containet"), "ports", "-s", sw.Socket).EnsureSuccess().Stdout.Split('\n')[0]);
        var network = JsonDocument.Parse(Run.Command(Repo.Program("containet"), "--socket", sw.Socket, "network", "--json").EnsureSuccess().Stdout).RootElement;
        Assert.Equal("10.88.0.1", network.GetProperty("gateway").GetString());
        Assert.False(network.GetProperty("nat").GetBoolean());

        Run.Command(Repo.Program("containet"), "-s", sw.Socket, "detach", ns.Name).EnsureSuccess();

        Assert.DoesNotContain(ns.Name, sw.Nodes());
        var bad = Run.Command(Repo.Program("containet"), "-s", sw.Socket, "detach", "a/b");
        Assert.Equal(2, bad.ExitCode);
        using (var admin = Containet.Protocol.SwitchClient.Connect(sw.Socket))
            Assert.Contains("host port", Assert.Throws<Containet.Protocol.SwitchException>(() => admin.RemoveEtherFd(null, "@host")).Message);
        Assert.Equal(2, Run.Command(Repo.Program("containet"), "-s", sw.Socket, "--nat").ExitCode);
    }
}
