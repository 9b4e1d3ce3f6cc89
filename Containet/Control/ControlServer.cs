using System.Collections.Concurrent;
using Containet.Native;
using Containet.Protocol;
using Containet.Ports;
using Containet.Switching;
using Microsoft.Extensions.Logging;

namespace Containet.Control;

/// <summary>
/// Serves the switch's control socket and the sockets nodes hand in (add-ctrlsock) from one event loop on
/// epoll, without a thread per connection: connections are capped in all and per peer, idle ones are closed,
/// and requests are carried out by a few workers made at start. A handed-in socket lives as long as its node
/// has ports, or for a grace period if it never gets one. Nothing here needs a new thread or many fds to keep
/// answering: when the system refuses either, the one connection or request is refused and the switch goes on.
/// </summary>
public sealed partial class ControlServer : IDisposable
{
    private const int WorkerCount = 4;
    private const long SweepMs = 1000;

    private readonly FrameSwitch frameSwitch;
    private readonly ControlHandler handler;
    private readonly PeerPolicy policy;
    private readonly ControlOptions options;
    private readonly ILogger logger;
    private readonly Epoll epoll = new();
    private readonly ControlWorkers workers = new(WorkerCount);
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly ConcurrentDictionary<ulong, Listener> listeners = new();
    private readonly Lock listenersGate = new();
    private readonly Dictionary<ulong, ControlConnection> connections = [];
    private readonly RateLimiter warnings = new(perSecond: 5);
    private readonly RateLimiter refusals = new(perSecond: 1);
    private readonly Thread loop;
    private ulong nextId;
    private volatile bool stopping;

    /// <summary>A listening socket: the switch's own (no node) or one a node handed in.</summary>
    private sealed class Listener(ulong id, SafeFd socket, string? node)
    {
        public ulong Id { get; } = id;
        public SafeFd Socket { get; } = socket;
        public string? Node { get; } = node;
        public long Added { get; } = Environment.TickCount64;
        public bool HadPort { get; set; }
        public bool Paused { get; set; }
    }

    /// <param name="handlerFactory">Makes the handler, given how it hands a node's control socket to this server.</param>
    public ControlServer(Func<Action<string, SafeFd>, ControlHandler> handlerFactory, FrameSwitch frameSwitch, PeerPolicy policy, ControlOptions options, ILogger logger)
    {
        this.frameSwitch = frameSwitch;
        this.policy = policy;
        this.options = options;
        this.logger = logger;
        handler = handlerFactory(AddListener);
        loop = new Thread(Run, maxStackSize: 512 * 1024) { IsBackground = true, Name = "control" };
        loop.Start();
    }

    /// <summary>Serves the switch's own socket.</summary>
    public void Serve(SafeFd listener) => Register(listener, null);

    /// <summary>Serves a socket a node handed in, if the node has room for another; throws the refusal otherwise.</summary>
    private void AddListener(string node, SafeFd listener)
    {
        lock (listenersGate)
        {
            if (listeners.Values.Count(l => l.Node == node) >= options.MaxCtrlSocksPerNode)
                throw new ControlProtocolException($"node {node} already has {options.MaxCtrlSocksPerNode} control sockets");
            Register(listener, node);
        }
        ContainetLog.CtrlSockAdded(logger, node);
    }

    private void Register(SafeFd socket, string? node)
    {
        FdIo.SetNonBlocking(socket);
        var l = new Listener(Interlocked.Increment(ref nextId), socket, node);
        listeners[l.Id] = l;
        epoll.Add(socket, l.Id, Epoll.Readable);
    }

    /// <summary>Called after a port closed: a node left without ports loses its control sockets.</summary>
    public void PortRemoved(Port port)
    {
        foreach (var p in frameSwitch.Ports)
            if (p.NodeId == port.NodeId) return;
        Post(() =>
        {
            foreach (var l in listeners.Values)
                if (l.Node == port.NodeId) CloseListener(l, "its node has no port left");
        });
    }

    /// <summary>Runs <paramref name="action"/> on the loop's thread, which owns the connections.</summary>
    private void Post(Action action)
    {
        if (stopping) return;
        posted.Enqueue(action);
        try { epoll.Wake(); }
        catch (ObjectDisposedException) { } // the switch stopped meanwhile
    }

    private void Run()
    {
        Span<ulong> tokens = stackalloc ulong[Epoll.MaxEvents];
        Span<uint> events = stackalloc uint[Epoll.MaxEvents];
        var nextSweep = Environment.TickCount64 + SweepMs;
        while (!stopping)
        {
            try
            {
                var n = epoll.Wait(tokens, events, (int)Math.Clamp(nextSweep - Environment.TickCount64, 0, SweepMs));
                for (var i = 0; i < n && !stopping; i++)
                {
                    if (tokens[i] == Epoll.WakeToken) continue;
                    if (listeners.TryGetValue(tokens[i], out var listener)) Accept(listener);
                    else if (connections.TryGetValue(tokens[i], out var connection)) Serve(connection, events[i]);
                }
                while (posted.TryDequeue(out var action)) action();
                if (Environment.TickCount64 >= nextSweep)
                {
                    Sweep();
                    nextSweep = Environment.TickCount64 + SweepMs;
                }
            }
            catch (Exception e)
            {
                // Whatever one connection or socket did, the switch keeps serving the others and forwarding.
                ContainetLog.LoopFailed(logger, e.ToString());
            }
        }
    }

    /// <summary>Once a second: idle connections, control sockets of nodes without ports, paused listeners, suppressed warnings.</summary>
    private void Sweep()
    {
        var now = Environment.TickCount64;
        var idle = (long)options.IdleTimeout.TotalMilliseconds;
        foreach (var c in connections.Values.ToArray())
            if (!c.Busy && now - c.LastActive > idle && !c.HoldsPort) Close(c, "idle");
        var withPorts = new HashSet<string>();
        foreach (var p in frameSwitch.Ports) withPorts.Add(p.NodeId);
        foreach (var l in listeners.Values)
        {
            if (l.Paused)
            {
                l.Paused = false;
                epoll.Modify(l.Socket, l.Id, Epoll.Readable);
            }
            if (l.Node is null) continue;
            if (withPorts.Contains(l.Node)) l.HadPort = true;
            else if (l.HadPort) CloseListener(l, "its node has no port left");
            else if (now - l.Added > (long)options.CtrlSockGrace.TotalMilliseconds) CloseListener(l, "its node got no port in time");
        }
        foreach (var (subject, count) in warnings.TakeSuppressed(now)) ContainetLog.Suppressed(logger, count, subject);
        foreach (var (subject, count) in refusals.TakeSuppressed(now)) ContainetLog.Suppressed(logger, count, subject);
    }

    private void CloseListener(Listener l, string reason)
    {
        if (!listeners.TryRemove(l.Id, out _)) return;
        epoll.Remove(l.Socket);
        l.Socket.Dispose();
        foreach (var c in connections.Values.ToArray())
            if (c.Listener == l.Id) Close(c, "its node's control socket closed");
        ContainetLog.CtrlSockClosed(logger, l.Node ?? "", reason);
    }

    public void Dispose()
    {
        stopping = true;
        epoll.Wake();
        loop.Join();
        foreach (var l in listeners.Values) l.Socket.Dispose();
        foreach (var c in connections.Values) c.Dispose();
        workers.Dispose();
        epoll.Dispose();
        spare?.Dispose();
    }
}
