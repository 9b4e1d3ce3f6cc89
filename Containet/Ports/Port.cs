using System.IO.Pipelines;
using Containet.Frames;
using Containet.Native;

namespace Containet.Ports;

/// <summary>
/// One TAP plugged into the switch: its fd, its framing, a receive side fed by a readiness loop and a bounded
/// output pipe drained by a send loop. Shutdown is idempotent and the first reason wins.
/// </summary>
public sealed partial class Port
{
    private static long nextId;

    public long Id { get; } = Interlocked.Increment(ref nextId);
    public string NodeId { get; }
    public string IfName { get; }
    /// <summary>The authtoken the port was added with; null if none.</summary>
    public string? Token { get; }
    public TapDevice Tap { get; }
    public Framing Framing { get; }
    public PortStats Stats { get; } = new();
    public DateTime Attached { get; } = DateTime.UtcNow;
    /// <summary>The address take-netns gave the port's interface (ADDR/PREFIX), as `containet ports` shows it; null if the switch does not know it.</summary>
    public string? Address { get; set; }
    public string? CloseReason => closeReason;

    /// <summary>The uid whose own network namespace the port's TAP was made in (add-netns), which caps how many such ports a user holds.</summary>
    public uint? GivenBy { get; set; }

    /// <summary>The receive loop that reads this port; set by the loop that takes it.</summary>
    public Switching.ReceiveLoop? Loop { get; internal set; }

    /// <summary>The receive loop's wake-up in which this port was last marked for polling: marks it once a wake-up.</summary>
    internal int PollRound;

    /// <summary>
    /// The port this one sends most of its unicast frames to, by a majority vote the receiving loop keeps without
    /// a lock or an allocation (only that loop writes these), and how far ahead that port is.
    /// </summary>
    internal Port? Peer { get; private set; }
    internal int PeerVotes { get; private set; }

    private const int MaxVotes = 1 << 20;

    /// <summary>Counts one unicast frame from this port to <paramref name="destination"/>.</summary>
    internal void Vote(Port destination)
    {
        if (ReferenceEquals(Peer, destination))
        {
            if (PeerVotes < MaxVotes) PeerVotes++;
        }
        else if (--PeerVotes <= 0)
        {
            Peer = destination;
            PeerVotes = 1;
        }
    }

    private volatile string? closeReason;

    public Port(string nodeId, string ifName, string? token, TapDevice tap, int queueLimitBytes)
    {
        NodeId = nodeId;
        IfName = ifName;
        Token = token;
        Tap = tap;
        Framing = Framing.Of(tap.Flags, tap.Flags.HasFlag(TapFlags.VnetHeader) ? TapDevice.GetVnetHeaderSize(tap.Handle) : 0);
        queueLimit = queueLimitBytes;
        // The reader runs inline on the thread that flushed: with an idle queue a frame goes from the receiving
        // thread straight to the TAP with no thread hop; only a backlog waits in the pipe.
        output = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: long.MaxValue,
            resumeWriterThreshold: long.MaxValue,
            useSynchronizationContext: false));
        // Runs until the pipe completes; nothing waits for it, its end is seen through the pipe.
        _ = SendLoopAsync();
        PlainSink = ethernet => Enqueue(ethernet, default);
    }

    /// <summary>Where software-segmented frames for this port go (one delegate per port, not per frame).</summary>
    public Frames.Segmenter.SegmentSink PlainSink { get; }

    public string Name => $"{NodeId}/{IfName}";

    /// <summary>Stops the port once; later calls and their reasons are ignored. Returns whether this call closed it.</summary>
    public bool Close(string reason)
    {
        if (Interlocked.CompareExchange(ref closeReason, reason, null) is not null) return false;
        lock (sendLock)
            output.Writer.Complete();
        return true;
    }

    /// <summary>Releases the TAP once no loop uses it any more.</summary>
    public void Release() => Tap.Dispose();

    public override string ToString() => Name;
}
