using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Containet.Native;

/// <summary>
/// A connection to a containet switch's control socket. Each request is one message holding one JSON object,
/// optionally with one fd; the switch answers <c>{}</c> or <c>{"error":"why"}</c> on the same connection.
/// </summary>
public sealed class SwitchClient : IDisposable
{
    /// <summary>The largest request or reply the protocol allows.</summary>
    public const int MaxMessage = 4096;

    private readonly SafeFd socket;

    private SwitchClient(SafeFd socket) => this.socket = socket;

    public static SwitchClient Connect(string socketPath) => new(UnixSocket.Connect(socketPath));

    public void AddEtherFd(string token, string ifname, string nodeId, SafeFd tap) =>
        Request(w =>
        {
            w.WriteString("authtoken", token);
            w.WriteStartObject("add-etherfd");
            w.WriteString("ifname", ifname);
            w.WriteString("nodeid", nodeId);
            w.WriteEndObject();
        }, tap).Dispose();

    public void RemoveEtherFd(string token, string nodeId) =>
        Request(w =>
        {
            w.WriteString("authtoken", token);
            w.WriteStartObject("remove-etherfd");
            w.WriteString("nodeid", nodeId);
            w.WriteEndObject();
        }).Dispose();

    public void AddCtrlSock(string token, string nodeId, SafeFd listeningSocket) =>
        Request(w =>
        {
            w.WriteString("authtoken", token);
            w.WriteStartObject("add-ctrlsock");
            w.WriteString("nodeid", nodeId);
            w.WriteEndObject();
        }, listeningSocket).Dispose();

    /// <summary>Sends <c>{"NAME":{}}</c> (list-ports, list-macs) with an optional token and returns the reply.</summary>
    public JsonDocument Query(string name, string? token = null) =>
        Request(w =>
        {
            if (token is not null) w.WriteString("authtoken", token);
            w.WriteStartObject(name);
            w.WriteEndObject();
        });

    /// <summary>Sends raw bytes as one request and returns the raw reply (tests use this for malformed input).</summary>
    public string Raw(ReadOnlySpan<byte> request, SafeFd? fd = null)
    {
        FdPassing.Send(socket, request, fd);
        // Replies to list requests can outgrow one read on a stream socket: read until one JSON value is whole.
        var reply = new ArrayBufferWriter<byte>(MaxMessage);
        while (true)
        {
            var n = FdPassing.Receive(socket, reply.GetSpan(MaxMessage), out var stray);
            stray?.Dispose();
            if (n == 0) throw new SwitchException("the switch closed the connection");
            reply.Advance(n);
            if (IsComplete(reply.WrittenSpan)) return Encoding.UTF8.GetString(reply.WrittenSpan);
            if (reply.WrittenCount > MaxReply) throw new SwitchException("the switch's reply is too large");
        }
    }

    private const int MaxReply = 16 << 20;

    private static bool IsComplete(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            return reader.Read() && reader.TrySkip() && reader.CurrentDepth == 0;
        }
        catch (JsonException)
        {
            return true; // malformed, not partial: let the caller's parse report it
        }
    }

    private JsonDocument Request(Action<Utf8JsonWriter> body, SafeFd? fd = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        var doc = JsonDocument.Parse(Raw(buffer.WrittenSpan, fd));
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
        {
            var message = error.GetString() ?? "unknown error";
            doc.Dispose();
            throw new SwitchException(message);
        }
        return doc;
    }

    public void Dispose() => socket.Dispose();
}
