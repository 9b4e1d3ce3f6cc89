using System.Net;

namespace Containet.Native;

/// <summary>
/// How a container's eth0 is set up: MAC, optional MTU, IPv4 address and default route, then up. Applied by
/// whoever holds the namespace: the switch for a namespace it hands out (take-netns), else the launcher.
/// </summary>
public sealed record InterfaceConfig(byte[] Mac, (IPAddress Address, int Prefix)? Address = null, int? Mtu = null, IPAddress? Gateway = null)
{
    /// <summary>Configures <paramref name="ifname"/> in the calling thread's network namespace.</summary>
    public void Apply(string ifname)
    {
        Netlink.SetMac(ifname, Mac);
        if (Mtu is { } mtu) Netlink.SetMtu(ifname, mtu);
        if (Address is { } a) Netlink.AddAddress(ifname, a.Address, a.Prefix);
        Netlink.SetLinkUp(ifname);
        if (Gateway is not null) Netlink.AddDefaultRoute(Gateway);
    }
}
