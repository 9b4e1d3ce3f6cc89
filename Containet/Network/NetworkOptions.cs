using System.Net;

namespace Containet.Network;

/// <summary>The switch's network as the command line sets it: a subnet to lease from, the host port, NAT and where leases are kept.</summary>
public sealed record NetworkOptions(Ipv4Network Subnet, IPAddress Gateway, Ipv4Network Range, string HostPort, bool Nat, string LeaseDirectory)
{
    public const string DefaultHostPort = "containet0";
    public const string DefaultLeaseDirectory = "/var/lib/containet/networks";

    /// <summary>Checks the options against each other; a wrong one throws <see cref="FormatException"/> naming it.</summary>
    public static NetworkOptions Create(string subnet, string? gateway, string? range, string hostPort, bool nat, string leaseDirectory)
    {
        var net = Ipv4Network.Parse(subnet, "--subnet");
        if (net.Prefix > 30) throw new FormatException($"--subnet {subnet}: a /{net.Prefix} has no room for a gateway and containers; use /30 or larger");
        var gw = gateway is null ? Ipv4Network.ToAddress(net.FirstHost) : Native.Addressing.ParseAddress(gateway);
        var gwValue = Ipv4Network.ToUInt(gw);
        if (gw.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !net.Contains(gwValue) || gwValue < net.FirstHost || gwValue > net.LastHost)
            throw new FormatException($"--gateway-ip {gw}: must be a host address of --subnet {net}");
        var pool = range is null ? net : Ipv4Network.Parse(range, "--ip-range");
        if (!net.Contains(pool)) throw new FormatException($"--ip-range {pool}: must lie inside --subnet {net}");
        if (!Protocol.Names.IsInterface(hostPort)) throw new FormatException($"--host-port {hostPort}: an interface name is 1 to 15 letters, digits and . _ -");
        return new NetworkOptions(net, gw, pool, hostPort, nat, leaseDirectory);
    }
}
