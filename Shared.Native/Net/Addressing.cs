using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Containet.Native;

/// <summary>Parsing of the addresses users type: ADDR[/MASK], MAC addresses, and random local MACs.</summary>
public static class Addressing
{
    /// <summary>
    /// Parses ADDR/PREFIX. Without a prefix an IPv4 address gets its classful mask (A /8, B /16, C /24), as the
    /// original containode did; IPv6 gets /64.
    /// </summary>
    public static (IPAddress Address, int Prefix) ParseCidr(string text)
    {
        var slash = text.IndexOf('/');
        var address = ParseAddress(slash < 0 ? text : text[..slash]);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0) return (address, DefaultPrefix(address));
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
            throw new FormatException($"bad prefix length in '{text}': expected 0 to {max}");
        return (address, prefix);
    }

    public static IPAddress ParseAddress(string text) =>
        text.Contains(':') ? IPAddress.TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not an IP address")
            : TryParseIPv4(text) is { } v4 ? new IPAddress(v4)
            : throw new FormatException($"'{text}' is not an IP address (write a.b.c.d)");

    // Dotted quads by hand, strictly four decimal parts: IPAddress's own parser is generic code that a launcher
    // would compile at start-up, and it accepts forms (a.b, 0x0a.1.2.3) nobody means for a container.
    public static byte[]? TryParseIPv4(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4) return null;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
            if (parts[i].Length is 0 or > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                return null;
        return bytes;
    }

    public static int DefaultPrefix(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) return 64;
        var first = address.GetAddressBytes()[0];
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    public static byte[] ParseMac(string text)
    {
        var parts = text.Split(':', '-');
        if (parts.Length != 6)
            throw new FormatException($"'{text}' is not a MAC address (write aa:bb:cc:dd:ee:ff)");
        var mac = new byte[6];
        for (var i = 0; i < 6; i++)
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac[i]))
                throw new FormatException($"'{text}' is not a MAC address (write aa:bb:cc:dd:ee:ff)");
        if ((mac[0] & 1) != 0)
            throw new FormatException($"{text} is a multicast address and cannot name an interface");
        return mac;
    }

    public static string FormatMac(ReadOnlySpan<byte> mac)
    {
        const string digits = "0123456789abcdef";
        var text = new System.Text.StringBuilder(mac.Length * 3);
        foreach (var b in mac) text.Append(text.Length == 0 ? "" : ":").Append(digits[b >> 4]).Append(digits[b & 15]);
        return text.ToString();
    }

    /// <summary>A random unicast, locally administered MAC.</summary>
    public static byte[] RandomMac()
    {
        var mac = new byte[6];
        Random.Shared.NextBytes(mac);
        mac[0] = (byte)((mac[0] & 0xFE) | 0x02);
        return mac;
    }
}
