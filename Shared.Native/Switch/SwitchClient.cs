using System.Text;
using System.Text.Json;

namespace Containet.Native;

/// <summary>
/// A connection to a containet switch's control socket. Each request is one message holding one JSON object,
/// optionally with one fd; the switch answers <c>{}</c> or <c>{"error":"why"}</c> on the same connection.
/// Requests are built as text and the usual <c>{}</c> needs no parser: containode pays start-up time for every
/// assembly it loads, and System.Text.Json is only needed for the list replies.
/// </summary>
public sealed class SwitchClient : IDisposable
{
    /// <summary>The largest request the protocol allows.</summary>
    public const int MaxMessage = 4096;
    private const int MaxReply = 16 << 20;

    private readonly SafeFd socket;

    private SwitchClient(SafeFd socket) => this.socket = socket;

    public static SwitchClient Connect(string socketPath) => new(UnixSocket.Connect(socketPath));

    public void AddEtherFd(string? token, string ifname, string nodeId, SafeFd tap) =>
        Expect($"{{{Token(token)}\"add-etherfd\":{{\"ifname\":{Quote(ifname)},\"nodeid\":{Quote(nodeId)}}}}}", tap);

    public void RemoveEtherFd(string? token, string nodeId) => Expect(RemoveEtherFdRequest(token, nodeId));

    /// <summary>Leaves the remove-etherfd request to a launcher's waiter, to send when the container ends.</summary>
    public void RemoveEtherFdAtExit(ExitSteps steps, string token, string nodeId) => steps.Send(socket, RemoveEtherFdRequest(token, nodeId));

    private static string RemoveEtherFdRequest(string? token, string nodeId) =>
        $"{{{Token(token)}\"remove-etherfd\":{{\"nodeid\":{Quote(nodeId)}}}}}";

    public void AddCtrlSock(string? token, string nodeId, SafeFd listeningSocket) =>
        Expect($"{{{Token(token)}\"add-ctrlsock\":{{\"nodeid\":{Quote(nodeId)}}}}}", listeningSocket);

    /// <summary>
    /// Asks the switch for a network namespace whose eth0 is already one of its ports, configured as given,
    /// with lo up (an extension of the protocol); the namespace comes back as an fd. The port lasts until
    /// remove-etherfd or until this connection closes. Throws <see cref="SwitchException"/> when the switch has none.
    /// </summary>
    public SafeFd TakeNetns(string? token, string ifname, string nodeId, InterfaceConfig? config = null)
    {
        SendTakeNetns(token, ifname, nodeId, config);
        return ReceiveNetns();
    }

    /// <summary>The first half of <see cref="TakeNetns"/>: the switch works on it while the caller goes on.</summary>
    public void SendTakeNetns(string? token, string ifname, string nodeId, InterfaceConfig? config = null)
    {
        var fields = new StringBuilder($"\"ifname\":{Quote(ifname)},\"nodeid\":{Quote(nodeId)}");
        foreach (var (name, value) in config?.Fields() ?? []) fields.Append(',').Append(Quote(name)).Append(':').Append(Quote(value));
        FdPassing.Send(socket, Encoding.UTF8.GetBytes($"{{{Token(token)}\"take-netns\":{{{fields}}}}}"));
    }

    /// <summary>The second half of <see cref="TakeNetns"/>.</summary>
    public SafeFd ReceiveNetns()
    {
        var reply = Receive(out var ns);
        if (reply == "{}" && ns is not null) return ns;
        ns?.Dispose();
        ThrowIfError(reply);
        throw new SwitchException("the switch answered take-netns without a namespace");
    }

    /// <summary>Sends <c>{"NAME":{}}</c> (list-ports, list-macs) with an optional token and returns the reply.</summary>
    public JsonDocument Query(string name, string? token = null)
    {
        var doc = JsonDocument.Parse(Raw(Encoding.UTF8.GetBytes($"{{{Token(token)}{Quote(name)}:{{}}}}")));
        ThrowIfError(doc);
        return doc;
    }

    /// <summary>Sends raw bytes as one request and returns the raw reply (tests use this for malformed input).</summary>
    public string Raw(ReadOnlySpan<byte> request, SafeFd? fd = null)
    {
        var reply = Raw(request, fd, out var stray);
        stray?.Dispose();
        return reply;
    }

    private string Raw(ReadOnlySpan<byte> request, SafeFd? fd, out SafeFd? replyFd)
    {
        FdPassing.Send(socket, request, fd);
        return Receive(out replyFd);
    }

    private string Receive(out SafeFd? replyFd)
    {
        replyFd = null;
        // Replies to list requests can outgrow one read on a stream socket: read until one JSON value is whole.
        var reply = new MemoryStream();
        var buffer = new byte[MaxMessage * 4];
        while (true)
        {
            var n = FdPassing.Receive(socket, buffer, out var received);
            if (received is not null)
            {
                replyFd?.Dispose();
                replyFd = received;
            }
            if (n == 0) throw new SwitchException("the switch closed the connection");
            reply.Write(buffer, 0, n);
            var bytes = reply.GetBuffer().AsSpan(0, (int)reply.Length);
            if (bytes.SequenceEqual("{}"u8) || IsComplete(bytes)) return Encoding.UTF8.GetString(bytes);
            if (reply.Length > MaxReply) throw new SwitchException("the switch's reply is too large");
        }
    }

    private void Expect(string request, SafeFd? fd = null)
    {
        var reply = Raw(Encoding.UTF8.GetBytes(request), fd);
        if (reply != "{}") ThrowIfError(reply);
    }

    // Kept out of the callers so that the usual "{}" never loads System.Text.Json (a launcher's start-up).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowIfError(string reply)
    {
        using var doc = JsonDocument.Parse(reply);
        ThrowIfError(doc);
    }

    private static void ThrowIfError(JsonDocument doc)
    {
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            throw new SwitchException(error.GetString() ?? "unknown error");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
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

    /// <summary>The authtoken member with its comma, or nothing for a request without a token.</summary>
    private static string Token(string? token) => token is null ? "" : $"\"authtoken\":{Quote(token)},";

    /// <summary>A JSON string literal.</summary>
    private static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            if (c is '"' or '\\') b.Append('\\').Append(c);
            else if (c < 0x20) b.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else b.Append(c);
        }
        return b.Append('"').ToString();
    }

    public void Dispose() => socket.Dispose();
}
