using Containet.Network;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests.Network;

public sealed class NftRulesetTests
{
    private static readonly NetworkOptions Options = NetworkOptions.Create("10.88.0.0/16", null, null, "ct0", nat: true, "/x");
    private static readonly Lease Web = new("web", 0x0A580002, null, []);

    [Fact]
    public void The_table_is_the_switchs_own_and_replaces_a_stale_one_atomically()
    {
        var script = NftRuleset.Create(Options, []);
        Assert.StartsWith("table ip containet-ct0 {}\ndelete table ip containet-ct0\ntable ip containet-ct0 {", script);
        Assert.Contains("ip saddr 10.88.0.0/16 oifname != \"ct0\" masquerade", script);
        Assert.DoesNotContain("flush ruleset", script);
        Assert.Equal("delete table ip containet-ct0\n", NftRuleset.Delete("ct0"));
    }

    [Fact]
    public void Published_ports_become_dnat_rules_on_local_addresses()
    {
        var published = new (Lease, PortMapping)[] { (Web, new PortMapping(null, 8080, 80, "tcp")), (Web, new PortMapping(System.Net.IPAddress.Parse("198.51.100.2"), 5353, 53, "udp")) };
        var script = NftRuleset.Published("ct0", published);
        Assert.Equal("flush chain ip containet-ct0 published\n" +
            "add rule ip containet-ct0 published tcp dport 8080 dnat to 10.88.0.2:80\n" +
            "add rule ip containet-ct0 published ip daddr 198.51.100.2 udp dport 5353 dnat to 10.88.0.2:53\n", script);
        Assert.Contains("tcp dport 8080 dnat to 10.88.0.2:80", NftRuleset.Create(Options, published));
        Assert.Contains("fib daddr type local jump published", NftRuleset.Create(Options, published));
    }

    [RootFact]
    public void Nft_takes_the_scripts_and_the_table_goes_away()
    {
        using var ns = new NetNs("nft");
        var published = new (Lease, PortMapping)[] { (Web, new PortMapping(null, 8080, 80, "tcp")) };
        Nft(ns, NftRuleset.Create(Options, published));
        Nft(ns, NftRuleset.Create(Options, [])); // a stale table is replaced
        Nft(ns, NftRuleset.Published("ct0", published));
        Assert.Contains("dnat to 10.88.0.2:80", ns.Exec("nft", "list", "table", "ip", "containet-ct0").EnsureSuccess().Stdout);
        Nft(ns, NftRuleset.Delete("ct0"));
        Assert.DoesNotContain("containet", ns.Exec("nft", "list", "ruleset").EnsureSuccess().Stdout);
    }

    private static void Nft(NetNs ns, string script) =>
        Run.Command("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], stdin: script).EnsureSuccess();
}
