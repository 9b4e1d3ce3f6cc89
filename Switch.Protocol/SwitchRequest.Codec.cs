using System.Globalization;
using System.Text.Json;
using Containet.Native;

namespace Containet.Protocol;

public abstract partial record SwitchRequest
{
    private const string Known = "add-etherfd, remove-etherfd, add-ctrlsock, take-netns, add-netns, publish, list-ports, list-macs, list-leases, show-network or version";

    /// <summary>The request as it goes on the wire, member for member as the original client wrote it.</summary>
    public byte[] Encode() => Json.Object(w =>
    {
        if (Token is not null) w.WriteString("authtoken", Token);
        w.WriteStartObject(Name);
        switch (this)
        {
            case AddEtherFd a:
                w.WriteString("ifname", a.IfName);
                w.WriteString("nodeid", a.NodeId);
                break;
            case TakeNetns t:
                w.WriteString("ifname", t.IfName);
                w.WriteString("nodeid", t.NodeId);
                WriteConfig(w, t.Config);
                break;
            case AddNetns n:
                w.WriteString("ifname", n.IfName);
                w.WriteString("nodeid", n.NodeId);
                WriteConfig(w, n.Config);
                break;
            case Publish p:
                w.WriteString("nodeid", p.NodeId);
                w.WriteStartArray("ports");
                foreach (var port in p.Ports) port.Write(w);
                w.WriteEndArray();
                break;
            case RemoveEtherFd or AddCtrlSock:
                w.WriteString("nodeid", Node);
                break;
        }
        w.WriteEndObject();
    });

    private static void WriteConfig(Utf8JsonWriter w, InterfaceConfig c)
    {
        w.WriteString("mac", Addressing.FormatMac(c.Mac));
        if (c.Mtu is { } mtu) w.WriteString("mtu", mtu.ToString(CultureInfo.InvariantCulture));
        if (c.Address is { } a) w.WriteString("ipv4", $"{a.Address}/{a.Prefix}");
        if (c.Gateway is not null) w.WriteString("gateway", c.Gateway.ToString());
    }

    /// <summary>Parses one request; a malformed or unknown one throws <see cref="ControlProtocolException"/> with the reply text.</summary>
    public static SwitchRequest Decode(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ControlProtocolException("malformed JSON: " + e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ControlProtocolException("a request must be a JSON object");
            string? token = null;
            SwitchRequest? request = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("authtoken"))
                {
                    token = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : throw new ControlProtocolException("authtoken must be a string");
                    continue;
                }
                if (request is not null)
                    throw new ControlProtocolException($"one request per message: found '{property.Name}' as well");
                request = DecodeBody(property.Name, property.Value);
            }
            return request is null
                ? throw new ControlProtocolException("empty request: expected " + Known)
                : request with { Token = token };
        }
    }

    private static SwitchRequest DecodeBody(string name, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ControlProtocolException($"{name} must be an object");
        return name switch
        {
            "add-etherfd" => new AddEtherFd(null, IfNameField(body, name), NodeIdField(body, name)),
            "remove-etherfd" => new RemoveEtherFd(null, NodeIdField(body, name)),
            "add-ctrlsock" => new AddCtrlSock(null, NodeIdField(body, name)),
            "take-netns" => new TakeNetns(null, IfNameField(body, name), NodeIdField(body, name), ConfigField(body, name)),
            "add-netns" => new AddNetns(null, IfNameField(body, name), NodeIdField(body, name), ConfigField(body, name)),
            "publish" => new Publish(null, NodeIdField(body, name), PortsField(body, name)),
            "list-ports" => new ListPorts(null),
            "list-macs" => new ListMacs(null),
            "list-leases" => new ListLeases(null),
            "show-network" => new ShowNetwork(null),
            "version" => new Version(null),
            _ => throw new ControlProtocolException($"unknown request '{name}'"),
        };
    }

    private static InterfaceConfig ConfigField(JsonElement body, string request)
    {
        try
        {
            var mac = Field(body, request, "mac", required: false) is { } m ? Addressing.ParseMac(m) : Addressing.RandomMac();
            int? mtu = Field(body, request, "mtu", required: false) is { } t
                ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 68 and <= 65535 ? v
                    : throw new FormatException($"bad mtu '{t}': use 68 to 65535")
                : null;
            var address = Field(body, request, "ipv4", required: false) is { } a ? Addressing.ParseCidr(a) : ((System.Net.IPAddress, int)?)null;
            var gateway = Field(body, request, "gateway", required: false) is { } g ? Addressing.ParseAddress(g) : null;
            return new InterfaceConfig(mac, address, mtu, gateway);
        }
        catch (FormatException e)
        {
            throw new ControlProtocolException($"{request}: {e.Message}");
        }
    }

    private static List<PortMapping> PortsField(JsonElement body, string request)
    {
        if (!body.TryGetProperty("ports", out var ports) || ports.ValueKind != JsonValueKind.Array)
            throw new ControlProtocolException($"{request} needs 'ports', an array");
        if (ports.GetArrayLength() > Limits.MaxPublished)
            throw new ControlProtocolException($"{request}: at most {Limits.MaxPublished} ports");
        var list = new List<PortMapping>();
        foreach (var p in ports.EnumerateArray())
        {
            try { list.Add(PortMapping.Read(p)); }
            catch (ControlProtocolException e) { throw new ControlProtocolException($"{request}: {e.Message}"); }
        }
        return list;
    }

    private static string NodeIdField(JsonElement body, string request)
    {
        var id = Field(body, request, "nodeid", required: true)!;
        return Names.IsNodeId(id) ? id
            : throw new ControlProtocolException($"{request}: bad node id: use 1 to {Names.MaxNodeId} ASCII letters, digits and . _ - : @ +");
    }

    private static string IfNameField(JsonElement body, string request)
    {
        var name = Field(body, request, "ifname", required: true)!;
        return Names.IsInterface(name) ? name
            : throw new ControlProtocolException($"{request}: bad interface name: use 1 to 15 ASCII letters, digits and . _ -");
    }

    private static string? Field(JsonElement body, string request, string name, bool required)
    {
        string? text;
        try { text = Json.Text(body, name); }
        catch (ControlProtocolException) { throw new ControlProtocolException($"{request}.{name} must be a string"); }
        if (text is null)
            return required ? throw new ControlProtocolException($"{request} needs '{name}'") : null;
        if (text.Length is 0 or > 255)
            throw new ControlProtocolException($"{request}.{name} must be 1 to 255 characters");
        return text;
    }
}
