using System.Globalization;
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

    /// <summary>The fields as take-netns carries them: "mac", and "mtu", "ipv4" (ADDR/PREFIX), "gateway" when set.</summary>
    public IEnumerable<(string Name, string Value)> Fields()
    {
        yield return ("mac", Addressing.FormatMac(Mac));
        if (Mtu is { } mtu) yield return ("mtu", mtu.ToString(CultureInfo.InvariantCulture));
        if (Address is { } a) yield return ("ipv4", $"{a.Address}/{a.Prefix}");
        if (Gateway is not null) yield return ("gateway", Gateway.ToString());
    }

    /// <summary>The inverse of <see cref="Fields"/>; throws <see cref="FormatException"/> on a bad value.</summary>
    public static InterfaceConfig FromFields(Func<string, string?> field)
    {
        var mac = field("mac") is { } m ? Addressing.ParseMac(m) : Addressing.RandomMac();
        int? mtu = field("mtu") is { } t ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 68 and <= 65535 ? v
            : throw new FormatException($"bad mtu '{t}': use 68 to 65535") : null;
        var address = field("ipv4") is { } a ? Addressing.ParseCidr(a) : ((IPAddress, int)?)null;
        var gateway = field("gateway") is { } g ? Addressing.ParseAddress(g) : null;
        return new InterfaceConfig(mac, address, mtu, gateway);
    }
}
