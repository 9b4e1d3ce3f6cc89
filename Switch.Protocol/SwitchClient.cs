using System.Text;
using System.Text.Json;
using Containet.Native;

namespace Containet.Protocol;

/// <summary>Which switch is on the other end, as far as its replies have told.</summary>
public enum SwitchDialect
{
    Unknown,
    /// <summary>The original C containet: it answers every request with <c>{}</c> and reads at most 254 bytes of one.</summary>
    Original,
    Containet,
}

/// <summary>A namespace take-netns handed out, and what the switch set up in it.</summary>
public sealed record TakenNetns(SafeFd Namespace, NetnsGrant Grant) : IDisposable
{
    public void Dispose() => Namespace.Dispose();
}

/// <summary>
/// A connection to a containet switch's control socket: one request at a time, each answered on the same
/// connection with <c>{}</c>, <c>{"error":WHY}</c> or the request's reply. Until the switch has shown it is this
/// one, no request longer than the original switch takes is sent: a version request asks first.
/// </summary>
public sealed class SwitchClient : IDisposable
{
    private readonly SafeFd socket;
    private bool takeNetnsPending;

    private SwitchClient(SafeFd socket) => this.socket = socket;

    public static SwitchClient Connect(string socketPath) => new(UnixSocket.Connect(socketPath));

    public SwitchDialect Dialect { get; private set; }

    public void AddEtherFd(string? token, string ifname, string nodeId, SafeFd tap) =>
        Expect(new SwitchRequest.AddEtherFd(token, ifname, nodeId), tap);

    public void RemoveEtherFd(string? token, string nodeId) => Expect(new SwitchRequest.RemoveEtherFd(token, nodeId));

    /// <summary>Leaves the remove-etherfd request to a launcher's waiter, to send when the container ends.</summary>
    public void RemoveEtherFdAtExit(ExitSteps steps, string token, string nodeId) =>
        steps.Send(socket, Encoding.UTF8.GetString(Sendable(new SwitchRequest.RemoveEtherFd(token, nodeId))));

    public void AddCtrlSock(string? token, string nodeId, SafeFd listeningSocket) =>
        Expect(new SwitchRequest.AddCtrlSock(token, nodeId), listeningSocket);

    /// <summary>Publishes ports of the node's container; they end with its port.</summary>
    public void Publish(string? token, string nodeId, IReadOnlyList<PortMapping> ports) => Expect(new SwitchRequest.Publish(token, nodeId, ports));

    /// <summary>
    /// Asks for a network namespace whose eth0 is already one of the switch's ports (an extension of the protocol);
    /// the switch works on it while the caller goes on, and <see cref="ReceiveNetns"/> takes the answer. The port
    /// lasts until remove-etherfd or until this connection closes.
    /// </summary>
    public void SendTakeNetns(string? token, string ifname, string nodeId, InterfaceConfig config)
    {
        var request = Sendable(new SwitchRequest.TakeNetns(token, ifname, nodeId, config));
        if (Dialect == SwitchDialect.Original) return;
        FdPassing.Send(socket, request);
        takeNetnsPending = true;
    }

    /// <summary>Both halves of take-netns at once; from the original switch, which hands out none, it throws.</summary>
    public TakenNetns TakeNetns(string? token, string ifname, string nodeId, InterfaceConfig? config = null)
    {
        SendTakeNetns(token, ifname, nodeId, config ?? new InterfaceConfig(Addressing.RandomMac()));
        return ReceiveNetns() ?? throw new SwitchException("the switch speaks the original protocol, which hands out no namespaces");
    }

    /// <summary>
    /// The answer to <see cref="SendTakeNetns"/>: the namespace, or null from the original switch, which answers
    /// <c>{}</c> without one. Throws <see cref="SwitchException"/> when the switch refuses.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the namespace fd goes to the TakenNetns, or is disposed when the reply refuses")]
    public TakenNetns? ReceiveNetns()
    {
        if (!takeNetnsPending) return null;
        takeNetnsPending = false;
        var reply = Receive(out var ns);
        if (reply.SequenceEqual(Reply.Ok) && ns is null)
        {
            Dialect = SwitchDialect.Original;
            return null;
        }
        Dialect = SwitchDialect.Containet;
        try
        {
            using var doc = Parse(reply);
            Reply.ThrowIfError(doc.RootElement);
            if (ns is null) throw new SwitchException("the switch answered take-netns without a namespace");
            return new TakenNetns(ns, NetnsGrant.Decode(doc.RootElement));
        }
        catch
        {
            ns?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hands the switch a network namespace the caller's own user namespace owns, for it to make
    /// <paramref name="ifname"/> inside as a port of <paramref name="nodeId"/> (add-netns, an extension); returns what
    /// it set up. The port lasts until remove-etherfd or until this connection closes. The original switch, which
    /// cannot, is found out with a version request first and refused here.
    /// </summary>
    public NetnsGrant AddNetns(string? token, string ifname, string nodeId, InterfaceConfig config, SafeFd ns)
    {
        LearnDialect();
        if (Dialect == SwitchDialect.Original)
            throw new SwitchException("the switch speaks the original protocol, which cannot take a network namespace: run the launcher as root, or use this containet");
        FdPassing.Send(socket, Sendable(new SwitchRequest.AddNetns(token, ifname, nodeId, config)), ns);
        var reply = Receive(out var stray);
        stray?.Dispose();
        using var doc = Parse(reply);
        Reply.ThrowIfError(doc.RootElement);
        return NetnsGrant.Decode(doc.RootElement);
    }

    /// <summary>Sends a request that has a reply of its own (a listing) and returns it; an error reply throws.</summary>
    public JsonDocument Query(SwitchRequest request)
    {
        FdPassing.Send(socket, Sendable(request));
        var doc = Parse(Receive(out var stray));
        stray?.Dispose();
        try
        {
            Reply.ThrowIfError(doc.RootElement);
            return doc;
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }

    /// <summary>Sends raw bytes as one request and returns the raw reply (tests use this for malformed input).</summary>
    public string Raw(ReadOnlySpan<byte> request, SafeFd? fd = null)
    {
        FdPassing.Send(socket, request, fd);
        var reply = Receive(out var stray);
        stray?.Dispose();
        return Encoding.UTF8.GetString(reply);
    }

    private void Expect(SwitchRequest request, SafeFd? fd = null)
    {
        FdPassing.Send(socket, Sendable(request), fd);
        var reply = Receive(out var stray);
        stray?.Dispose();
        if (reply.SequenceEqual(Reply.Ok)) return;
        Dialect = SwitchDialect.Containet;
        using var doc = Parse(reply);
        Reply.ThrowIfError(doc.RootElement);
    }

    /// <summary>Throws now, before anything depends on it, if the switch could not take <paramref name="request"/>.</summary>
    public void CheckSendable(SwitchRequest request) => Sendable(request);

    /// <summary>
    /// The request's bytes, once it is known that the switch takes them: a request longer than the original switch
    /// reads is preceded by a version request while the switch is unknown, and refused if it is the original.
    /// </summary>
    private byte[] Sendable(SwitchRequest request)
    {
        var bytes = request.Encode();
        if (bytes.Length <= Limits.MaxOriginalRequest) return bytes;
        LearnDialect();
        if (Dialect == SwitchDialect.Original && request is not SwitchRequest.TakeNetns)
            throw new SwitchException($"the switch speaks the original protocol, which takes requests of at most {Limits.MaxOriginalRequest} bytes, and this {request.Name} has {bytes.Length}: use a shorter token or identity");
        return bytes;
    }

    /// <summary>Asks a switch not yet known which it is: the original answers a version request with <c>{}</c>.</summary>
    private void LearnDialect()
    {
        if (Dialect != SwitchDialect.Unknown) return;
        FdPassing.Send(socket, new SwitchRequest.Version(null).Encode());
        var reply = Receive(out var stray);
        stray?.Dispose();
        Dialect = reply.SequenceEqual(Reply.Ok) ? SwitchDialect.Original : SwitchDialect.Containet;
    }

    private byte[] Receive(out SafeFd? replyFd)
    {
        replyFd = null;
        // Replies to list requests can outgrow one read on a stream socket: read until one JSON value is whole.
        var reply = new MemoryStream();
        var buffer = new byte[Limits.MaxRequest * 4];
        while (true)
        {
            var n = FdPassing.Receive(socket, buffer, out var received);
            if (received is not null)
            {
                replyFd?.Dispose();
                replyFd = received;
            }
            if (n == 0)
            {
                replyFd?.Dispose();
                throw new SwitchException("the switch closed the connection");
            }
            reply.Write(buffer, 0, n);
            var bytes = reply.GetBuffer().AsSpan(0, (int)reply.Length);
            if (IsComplete(bytes)) return bytes.ToArray();
            if (reply.Length > Limits.MaxReply)
            {
                replyFd?.Dispose();
                throw new SwitchException("the switch's reply is too large");
            }
        }
    }

    private static JsonDocument Parse(byte[] reply)
    {
        try
        {
            return JsonDocument.Parse(reply);
        }
        catch (JsonException e)
        {
            throw new SwitchException("the switch's reply is not JSON: " + e.Message);
        }
    }

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

    public void Dispose() => socket.Dispose();
}
