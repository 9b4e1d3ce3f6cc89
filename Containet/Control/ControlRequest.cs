using Containet.Native;
using System.Text.Json;

namespace Containet.Control;

/// <summary>The requests the control protocol knows, parsed from one JSON object.</summary>
public abstract record ControlRequest(string? Token)
{
    public sealed record AddEtherFd(string? Token, string IfName, string NodeId) : ControlRequest(Token);
    public sealed record RemoveEtherFd(string? Token, string NodeId) : ControlRequest(Token);
    public sealed record AddCtrlSock(string? Token, string NodeId) : ControlRequest(Token);
    /// <summary>An extension: the switch answers with a network namespace fd whose eth0 is already a port, set up as <see cref="Config"/> says.</summary>
    public sealed record TakeNetns(string? Token, string IfName, string NodeId, InterfaceConfig Config) : ControlRequest(Token);
    public sealed record ListPorts(string? Token) : ControlRequest(Token);
    public sealed record ListMacs(string? Token) : ControlRequest(Token);

    /// <summary>The node the request acts on; null for the listings.</summary>
    public string? Node => this switch
    {
        AddEtherFd a => a.NodeId,
        RemoveEtherFd r => r.NodeId,
        AddCtrlSock c => c.NodeId,
        TakeNetns t => t.NodeId,
        _ => null,
    };

    /// <summary>Whether the request must carry a file descriptor.</summary>
    public bool NeedsFd => this is AddEtherFd or AddCtrlSock;

    /// <summary>Parses one request; a malformed or unknown one throws <see cref="ControlProtocolException"/> with the reply text.</summary>
    public static ControlRequest Parse(ReadOnlySpan<byte> json)
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
            ControlRequest? request = null;
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
                request = property.Name switch
                {
                    "add-etherfd" => new AddEtherFd(null, IfNameField(property.Value, "add-etherfd"), NodeIdField(property.Value, "add-etherfd")),
                    "remove-etherfd" => new RemoveEtherFd(null, NodeIdField(property.Value, "remove-etherfd")),
                    "add-ctrlsock" => new AddCtrlSock(null, NodeIdField(property.Value, "add-ctrlsock")),
                    "take-netns" => new TakeNetns(null, IfNameField(property.Value, "take-netns"), NodeIdField(property.Value, "take-netns"), ParseConfig(property.Value)),
                    "list-ports" => new ListPorts(null),
                    "list-macs" => new ListMacs(null),
                    _ => throw new ControlProtocolException($"unknown request '{property.Name}'"),
                };
            }
            return request is null
                ? throw new ControlProtocolException("empty request: expected add-etherfd, remove-etherfd, add-ctrlsock, take-netns, list-ports or list-macs")
                : request with { Token = token };
        }
    }

    private static InterfaceConfig ParseConfig(JsonElement body)
    {
        try
        {
            return InterfaceConfig.FromFields(name => body.TryGetProperty(name, out _) ? Field(body, "take-netns", name) : null);
        }
        catch (FormatException e)
        {
            throw new ControlProtocolException("take-netns: " + e.Message);
        }
    }

    private static string NodeIdField(JsonElement body, string request)
    {
        var id = Field(body, request, "nodeid");
        return Names.IsNodeId(id) ? id
            : throw new ControlProtocolException($"{request}: bad node id: use 1 to {Names.MaxNodeId} ASCII letters, digits and . _ - : @ +");
    }

    private static string IfNameField(JsonElement body, string request)
    {
        var name = Field(body, request, "ifname");
        return Names.IsInterface(name) ? name
            : throw new ControlProtocolException($"{request}: bad interface name: use 1 to 15 ASCII letters, digits and . _ -");
    }

    private static string Field(JsonElement body, string request, string name)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ControlProtocolException($"{request} must be an object");
        if (!body.TryGetProperty(name, out var value))
            throw new ControlProtocolException($"{request} needs '{name}'");
        // The original clients send node ids as strings; numbers are accepted as written.
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new ControlProtocolException($"{request}.{name} must be a string"),
        };
        if (string.IsNullOrEmpty(text) || text.Length > 255)
            throw new ControlProtocolException($"{request}.{name} must be 1 to 255 characters");
        return text;
    }
}

/// <summary>A request the switch refuses; the message is what the client gets as <c>{"error":..}</c>.</summary>
public sealed class ControlProtocolException(string message) : Exception(message);
