using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Containet.Network;

/// <summary>
/// The DNS server on the gateway address, as docker's embedded DNS and podman's aardvark-dns are: it answers A
/// queries for node names with their leased addresses (and other types for them with no record), and forwards
/// every other query as it is to the host's resolvers, under an ID of its own, relaying the answer back. UDP only.
/// At most <see cref="MaxPending"/> forwarded queries wait at once, each for <see cref="ForwardTimeout"/>.
/// </summary>
public sealed class DnsResponder : IDisposable
{
    public const int MaxPending = 1024;
    public static readonly TimeSpan ForwardTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket server;
    private readonly Socket upstream;
    private readonly IPEndPoint[] upstreams;
    private readonly Func<string, uint?> lookup;
    private readonly ILogger logger;
    private readonly Dictionary<ushort, (EndPoint Client, ushort Id, long Deadline)> pending = [];
    private int nextUpstream;

    public DnsResponder(IPAddress address, IEnumerable<IPAddress> forwardTo, Func<string, uint?> lookup, ILogger logger, int port = 53)
    {
        this.lookup = lookup;
        this.logger = logger;
        upstreams = [.. forwardTo.Select(a => new IPEndPoint(a, 53))];
        server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            server.Bind(new IPEndPoint(address, port));
            upstream.Bind(new IPEndPoint(IPAddress.Any, 0));
        }
        catch
        {
            Dispose();
            throw;
        }
        Start(Serve, "dns");
        Start(Relay, "dns-relay");
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)server.LocalEndPoint!;

    private static void Start(Action loop, string name) => new Thread(() => loop(), maxStackSize: 256 * 1024) { IsBackground = true, Name = name }.Start();

    private void Serve()
    {
        var buffer = new byte[4096];
        var answer = new byte[4096];
        EndPoint client = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int n;
            try { n = server.ReceiveFrom(buffer, ref client); }
            catch (SocketException) { continue; }
            catch (ObjectDisposedException) { return; }
            var query = buffer.AsSpan(0, n);
            if (!DnsMessage.TryReadQuery(query, out var q)) continue; // not a query we can answer or even refuse: dropped
            var name = q.Name.TrimEnd('.');
            if (q.Class == DnsMessage.ClassIn && lookup(name) is { } address)
                Send(server, answer.AsSpan(0, DnsMessage.WriteAnswer(query, q, q.Type == DnsMessage.TypeA ? address : null, DnsMessage.NoError, answer)), client);
            else if (!Forward(query, client))
                Send(server, answer.AsSpan(0, DnsMessage.WriteAnswer(query, q, null, upstreams.Length == 0 ? DnsMessage.Refused : DnsMessage.ServerFailure, answer)), client);
        }
    }

    /// <summary>Sends the query on to the next upstream under a fresh ID; false when there is none or too many wait.</summary>
    private bool Forward(Span<byte> query, EndPoint client)
    {
        if (upstreams.Length == 0) return false;
        ushort id;
        lock (pending)
        {
            var now = Environment.TickCount64;
            if (pending.Count >= MaxPending)
                foreach (var (key, entry) in pending.ToArray())
                    if (entry.Deadline < now) pending.Remove(key);
            if (pending.Count >= MaxPending) return false;
            do id = (ushort)Random.Shared.Next(65536); while (pending.ContainsKey(id));
            pending[id] = (client, DnsMessage.Id(query), now + (long)ForwardTimeout.TotalMilliseconds);
        }
        var own = DnsMessage.Id(query);
        DnsMessage.SetId(query, id);
        var to = upstreams[(uint)Interlocked.Increment(ref nextUpstream) % upstreams.Length];
        if (Send(upstream, query, to)) return true;
        DnsMessage.SetId(query, own);
        lock (pending) pending.Remove(id);
        return false;
    }

    private void Relay()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int n;
            try { n = upstream.ReceiveFrom(buffer, ref from); }
            catch (SocketException) { continue; }
            catch (ObjectDisposedException) { return; }
            var reply = buffer.AsSpan(0, n);
            if (!DnsMessage.IsResponse(reply) || !upstreams.Contains(from)) continue;
            (EndPoint Client, ushort Id, long Deadline) entry;
            lock (pending)
                if (!pending.Remove(DnsMessage.Id(reply), out entry)) continue;
            DnsMessage.SetId(reply, entry.Id);
            Send(server, reply, entry.Client);
        }
    }

    private bool Send(Socket socket, ReadOnlySpan<byte> message, EndPoint to)
    {
        try
        {
            socket.SendTo(message, SocketFlags.None, to);
            return true;
        }
        catch (SocketException e)
        {
            ContainetLog.DnsSendFailed(logger, to.ToString() ?? "", e.Message);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        server.Dispose();
        upstream.Dispose();
    }
}
