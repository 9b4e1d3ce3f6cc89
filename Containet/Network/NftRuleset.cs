using System.Text;
using Containet.Protocol;

namespace Containet.Network;

/// <summary>
/// The switch's nftables table, as `nft -f` scripts: one table of its own (ip containet-HOSTPORT), so it never
/// touches another table or rule. Masquerade for the subnet going out of any interface but the host port; DNAT
/// of published ports on the host's own addresses, from outside (prerouting) and from the host itself (output);
/// and masquerade of what such DNAT sends back in through the host port from the host's loopback or from the
/// subnet itself, so replies come back the way they went. Numbers stand for the dstnat and srcnat priorities,
/// which older nft only names in some hooks.
/// </summary>
public static class NftRuleset
{
    public static string TableName(string hostPort) => "containet-" + hostPort;

    /// <summary>Replaces any table of that name (a stale one of a switch that was killed) with a fresh one, atomically.</summary>
    public static string Create(NetworkOptions o, IEnumerable<(Lease Lease, PortMapping Port)> published)
    {
        var table = TableName(o.HostPort);
        var s = new StringBuilder();
        s.Append($"table ip {table} {{}}\ndelete table ip {table}\ntable ip {table} {{\n");
        s.Append("  chain published {\n");
        foreach (var (lease, port) in published) s.Append("    ").Append(Rule(lease, port)).Append('\n');
        s.Append("  }\n");
        s.Append("  chain prerouting {\n    type nat hook prerouting priority -100; policy accept;\n    fib daddr type local jump published\n  }\n");
        s.Append("  chain output {\n    type nat hook output priority -100; policy accept;\n    fib daddr type local jump published\n  }\n");
        s.Append("  chain postrouting {\n    type nat hook postrouting priority 100; policy accept;\n");
        s.Append($"    ip saddr {o.Subnet} oifname != \"{o.HostPort}\" masquerade\n");
        s.Append($"    oifname \"{o.HostPort}\" ct status dnat ip saddr {{ {o.Subnet}, 127.0.0.0/8 }} masquerade\n");
        s.Append("  }\n}\n");
        return s.ToString();
    }

    /// <summary>Rewrites the published ports, in one transaction.</summary>
    public static string Published(string hostPort, IEnumerable<(Lease Lease, PortMapping Port)> published)
    {
        var table = TableName(hostPort);
        var s = new StringBuilder($"flush chain ip {table} published\n");
        foreach (var (lease, port) in published) s.Append($"add rule ip {table} published ").Append(Rule(lease, port)).Append('\n');
        return s.ToString();
    }

    public static string Delete(string hostPort) => $"delete table ip {TableName(hostPort)}\n";

    private static string Rule(Lease lease, PortMapping p) =>
        $"{(p.HostAddress is null ? "" : $"ip daddr {p.HostAddress} ")}{p.Protocol} dport {p.HostPort} dnat to {Ipv4Network.ToAddress(lease.Address)}:{p.ContainerPort}";
}
