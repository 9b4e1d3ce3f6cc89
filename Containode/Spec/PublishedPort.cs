using System.Globalization;
using System.Net;
using Containet.Native;
using Containet.Protocol;

namespace Containode;

/// <summary>--publish as docker takes it: [HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|/udp].</summary>
public static class PublishedPort
{
    public static PortMapping Parse(string text)
    {
        var slash = text.LastIndexOf('/');
        var protocol = slash < 0 ? "tcp" : text[(slash + 1)..];
        if (protocol is not ("tcp" or "udp")) throw Bad(text, $"protocol '{protocol}' is neither tcp nor udp");
        var parts = (slash < 0 ? text : text[..slash]).Split(':');
        if (parts.Length is < 2 or > 3) throw Bad(text, "write HOST_PORT:CONTAINER_PORT");
        IPAddress? host = null;
        if (parts.Length == 3)
            host = Addressing.TryParseIPv4(parts[0]) is { } a ? new IPAddress(a) : throw Bad(text, $"'{parts[0]}' is not an IPv4 address");
        return new PortMapping(host, Port(text, parts[^2]), Port(text, parts[^1]), protocol);
    }

    private static int Port(string text, string part) =>
        part.Length is > 0 and <= 5 && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && PortMapping.IsPort(p) ? p
            : throw Bad(text, $"'{part}' is not a port from 1 to 65535");

    private static UsageException Bad(string text, string why) => new($"bad --publish {text}: {why} ([HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|/udp])");
}
