using Containet.Capture;
using Containet.Frames;
using Containet.Native;
using Containet.Ports;
using Microsoft.Extensions.Logging;

namespace Containet.Switching;

/// <summary>
/// The switch: ports, the MAC table and the forwarding path. Frames arrive on the receive loops'
/// threads and leave through the destination ports' queues; nothing on that path allocates.
/// </summary>
public sealed class FrameSwitch : IDisposable
{
    private readonly SwitchOptions options;
    private readonly ILogger logger;
    private readonly MacTable<Port> table;
    private readonly ReceiveLoop[] loops;
    private readonly Lock portsGate = new();
    private readonly Timer ager;
    private readonly Timer? colocator;
    private readonly PcapWriter? capture;
    private readonly FrameHandler forward;
    private volatile Port[] ports = [];
    private int disposed;

    public FrameSwitch(SwitchOptions options, ILogger logger)
    {
        this.options = options;
        this.logger = logger;
        table = new MacTable<Port>(options.MaxMacs, (long)options.MacAge.TotalMilliseconds, (long)options.MinMacMove.TotalMilliseconds);
        if (options.CapturePath is not null)
        {
            capture = new PcapWriter(options.CapturePath);
            ContainetLog.Capturing(logger, options.CapturePath);
        }
        forward = Forward;
        loops = new ReceiveLoop[options.ReceiveLoops];
        for (var i = 0; i < loops.Length; i++)
            loops[i] = new ReceiveLoop(i, forward, (p, why) => RemovePort(p, why), options.PollBudget);
        var sweep = TimeSpan.FromMilliseconds(Math.Clamp(options.MacAge.TotalMilliseconds / 2, 100, 30_000));
        ager = new Timer(_ => Age(), null, sweep, sweep);
        if (loops.Length > 1) colocator = new Timer(_ => Colocate(), null, ColocateEvery, ColocateEvery);
    }

    public IReadOnlyList<Port> Ports => ports;

    /// <summary>Called after a port closed, for clean-up that belongs to its node.</summary>
    public Action<Port>? PortRemoved { get; set; }
    public MacTable<Port> Macs => table;

    /// <summary>Plugs a TAP in. The port owns the device from here on, also when this throws.</summary>
    public Port AddPort(string nodeId, string ifName, string? token, TapDevice tap)
    {
        Port port;
        lock (portsGate)
        {
            foreach (var p in ports)
                if (p.NodeId == nodeId && p.IfName == ifName)
                {
                    tap.Dispose();
                    throw new InvalidOperationException($"node {nodeId} already has a port named {ifName}");
                }
            var offloads = false;
            if (tap.Flags.HasFlag(TapFlags.VnetHeader))
            {
                try
                {
                    tap.EnableOffloads();
                    offloads = true;
                }
                catch (NativeException e)
                {
                    ContainetLog.OffloadFailed(logger, $"{nodeId}/{ifName}", e.Message);
                }
            }
            port = new Port(nodeId, ifName, token, tap, options.QueueBytes);
            ports = [.. ports, port];
            LeastLoadedLoop().Add(port);
            ContainetLog.PortAttached(logger, port.Name, tap.Name, port.Framing.ToString(), offloads);
        }
        return port;
    }

    /// <summary>
    /// Closes a port once: stops reading it, flushes its MAC entries, releases its TAP. Closing the last fd of a
    /// TAP unregisters its device, which waits for an RCU grace period, so the TAP is released off the
    /// caller's thread: a receive loop or the control loop must not wait for it.
    /// </summary>
    public void RemovePort(Port port, string reason)
    {
        if (Detach(port, reason)) ThreadPool.UnsafeQueueUserWorkItem(static p => p.Release(), port, preferLocal: false);
    }

    /// <summary>
    /// Closes every port of a node and returns how many there were, once their TAPs are closed: a client may
    /// reuse a device name as soon as this returns.
    /// </summary>
    public int RemoveNode(string nodeId, string reason) => RemoveAll(reason, nodeId);

    /// <summary>Closes the ports of a node, or all, and returns once their TAPs are closed.</summary>
    private int RemoveAll(string reason, string? nodeId = null)
    {
        var removed = 0;
        foreach (var p in ports)
            if ((nodeId is null || p.NodeId == nodeId) && Detach(p, reason))
            {
                p.Release();
                removed++;
            }
        return removed;
    }

    private bool Detach(Port port, string reason)
    {
        if (!port.Close(reason)) return false;
        lock (portsGate)
        {
            ports = Array.FindAll(ports, p => !ReferenceEquals(p, port));
            foreach (var loop in loops) loop.Remove(port);
        }
        var flushed = table.Flush(port);
        ContainetLog.PortDetached(logger, port.Name, reason, flushed);
        PortRemoved?.Invoke(port);
        return true;
    }

    private void Forward(Port ingress, ReadOnlySpan<byte> raw)
    {
        var error = Frame.TryParse(raw, ingress.Framing, out var frame);
        if (error != Frame.ParseError.None)
        {
            ingress.Stats.Errors++;
            if (logger.IsEnabled(LogLevel.Debug)) ContainetLog.FrameDropped(logger, ingress.Name, error.ToString());
            return;
        }
        ingress.Stats.FramesIn++;
        ingress.Stats.BytesIn += frame.Ethernet.Length;
        var now = Environment.TickCount64;
        var source = Mac.Read(frame.Ethernet[6..]);
        var destination = Mac.Read(frame.Ethernet);
        if (table.Learn(source, ingress, now) == MacTable<Port>.Outcome.Moved && logger.IsEnabled(LogLevel.Debug))
            ContainetLog.MacMoved(logger, Mac.Format(source), ingress.Name);
        var learned = Mac.IsGroup(destination) ? null : table.Lookup(destination, now);
        var action = Forwarding.Decide(destination, ingress, learned);
        if (action == Forwarding.Action.Drop) return;
        // Captured before delivery: a reply the kernel makes while we write must not appear before its request.
        capture?.Write(frame.Ethernet);
        if (action == Forwarding.Action.Unicast)
        {
            ingress.Vote(learned!);
            Deliver(learned!, frame);
            return;
        }
        foreach (var port in ports)
            if (!ReferenceEquals(port, ingress)) Deliver(port, frame);
    }

    private static void Deliver(Port port, in Frame frame)
    {
        if (port.Framing.HasVnet || !(frame.Vnet.IsGso || frame.Vnet.NeedsChecksum))
            port.Enqueue(frame.Ethernet, frame.Vnet);
        else if (!Segmenter.Emit(frame.Ethernet, frame.Vnet, port.PlainSink))
            port.Stats.Errors++;
    }

    private ReceiveLoop LeastLoadedLoop()
    {
        var best = loops[0];
        foreach (var loop in loops)
            if (loop.PortCount < best.PortCount) best = loop;
        return best;
    }

    private static readonly TimeSpan ColocateEvery = TimeSpan.FromSeconds(1);

    /// <summary>Votes a peer must be ahead by before its pair moves: a conversation, not a stray frame.</summary>
    internal const int ColocateVotes = 64;

    /// <summary>
    /// Puts each pair of ports that mostly talk to each other on one receive loop: a frame then goes from one TAP
    /// to the other on the thread that read it, and its reply comes back there, with no wake-up across threads.
    /// Both must name each other as their main peer, so a port many talk to (a gateway) draws only its own
    /// partner; the port with the higher number moves, so a pair never swaps places. The move runs on the loop
    /// that reads the port, which stops reading it before the other loop starts.
    /// </summary>
    private void Colocate()
    {
        foreach (var port in ports)
        {
            if (port.Peer is not { } peer || port.PeerVotes < ColocateVotes || !ReferenceEquals(peer.Peer, port)) continue;
            if (port.Id < peer.Id || port.Loop is not { } from || peer.Loop is not { } to || ReferenceEquals(from, to)) continue;
            from.Post(() =>
            {
                lock (portsGate)
                {
                    if (port.CloseReason is not null || !from.Holds(port) || !ReferenceEquals(peer.Loop, to)) return;
                    from.Remove(port);
                    to.Add(port);
                }
                ContainetLog.PortMoved(logger, port.Name, from.Index, to.Index, peer.Name);
            });
        }
    }

    private void Age()
    {
        var removed = table.Age(Environment.TickCount64);
        if (removed > 0) ContainetLog.Aged(logger, removed);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        ager.Dispose();
        colocator?.Dispose();
        RemoveAll("switch shutting down");
        foreach (var loop in loops) loop.Dispose();
        capture?.Dispose();
    }
}
