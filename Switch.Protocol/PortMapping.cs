using System.Net;
using System.Text.Json;

namespace Containet.Protocol;

/// <summary>
/// A published port: traffic for <see cref="HostPort"/> on the host's addresses (or on <see cref="HostAddress"/>
/// alone) goes to <see cref="ContainerPort"/> of the container. <see cref="Protocol"/> is "tcp" or "udp".
/// </summary>
public sealed record PortMapping(IPAddress? HostAddress, int HostPort, int ContainerPort, string Protocol)
{
    public static bool IsPort(int port) => port is >= 1 and <= 65535;

    /// <summary>As docker prints it: [HOST_IP:]HOST_PORT-&gt;PORT/PROTO.</summary>
    public override string ToString() => $"{(HostAddress is null ? "" : HostAddress + ":")}{HostPort}->{ContainerPort}/{Protocol}";

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (HostAddress is not null) w.WriteString("host_ip", HostAddress.ToString());
        w.WriteNumber("host_port", HostPort);
        w.WriteNumber("port", ContainerPort);
        w.WriteString("protocol", Protocol);
        w.WriteEndObject();
    }

    public static PortMapping Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ControlProtocolException("a published port must be an object");
        var host = Json.Text(e, "host_ip") is { } h ? IPAddress.TryParse(h, out var a) ? a : throw new ControlProtocolException($"bad host_ip '{h}'") : null;
        var protocol = Json.Text(e, "protocol") ?? "tcp";
        if (protocol is not ("tcp" or "udp")) throw new ControlProtocolException($"bad protocol '{protocol}': tcp or udp");
        return new PortMapping(host, Port(e, "host_port"), Port(e, "port"), protocol);
    }

    private static int Port(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && IsPort(n) ? n
            : throw new ControlProtocolException($"'{name}' must be a port number from 1 to 65535");
}
