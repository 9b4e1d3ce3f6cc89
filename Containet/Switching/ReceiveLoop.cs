using System.Collections.Concurrent;
using Containet.Frames;
using Containet.Native;
using Containet.Ports;

namespace Containet.Switching;

/// <summary>
/// One thread waiting on an epoll set of port fds and reading each ready port's burst. After a wake-up that
/// moved frames it keeps reading the ports that took part, with non-blocking reads, until a poll budget passes
/// without a frame: a reply that comes within the budget is read without a wake-up across CPUs, which is most
/// of a hop's latency. The ports that took part are those read and those written to, since a reply comes back
/// on the port its request left by. Only they are polled, and only briefly, so an idle switch sleeps. Polling
/// serves request and reply, a few frames at a time; a burst means bulk traffic, which finds frames waiting at
/// the next epoll_wait anyway, so the loop goes back to it rather than spin a CPU the senders need.
/// </summary>
public sealed class ReceiveLoop : IDisposable
{
    private readonly Epoll epoll = new();
    private readonly ConcurrentDictionary<ulong, Port> ports = new();
    private readonly Thread thread;
    private readonly FrameHandler forward;
    private readonly Action<Port, string> failed;
    private readonly long pollTicks;
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly Port[] active = new Port[Batch];
    private int talking;
    private int round;
    private volatile bool stopping;

    [ThreadStatic] private static ReceiveLoop? current;

    public int Index { get; }

    public ReceiveLoop(int index, FrameHandler forward, Action<Port, string> failed, TimeSpan pollBudget)
    {
        Index = index;
        this.forward = forward;
        this.failed = failed;
        pollTicks = (long)(pollBudget.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        thread = new Thread(Run, maxStackSize: 512 * 1024) { IsBackground = true, Name = "receive-" + index };
        thread.Start();
    }

    public int PortCount => ports.Count;

    public void Add(Port port)
    {
        FdIo.SetNonBlocking(port.Tap.Handle);
        ports[(ulong)port.Id] = port;
        port.Loop = this;
        port.Register((p, on) => epoll.Modify(p.Tap.Handle, (ulong)p.Id, on ? Epoll.Readable | Epoll.Writable : Epoll.Readable),
            blocked => epoll.Add(port.Tap.Handle, (ulong)port.Id, blocked ? Epoll.Readable | Epoll.Writable : Epoll.Readable));
    }

    public bool Holds(Port port) => ports.ContainsKey((ulong)port.Id);

    /// <summary>Runs <paramref name="work"/> on this loop's thread, between two waits: where a port can leave it without being read meanwhile.</summary>
    public void Post(Action work)
    {
        posted.Enqueue(work);
        epoll.Wake();
    }

    /// <summary>Stops watching a port; after this returns the loop no longer reads it, so its fd may close.</summary>
    public void Remove(Port port)
    {
        if (!ports.TryRemove((ulong)port.Id, out _)) return;
        epoll.Remove(port.Tap.Handle);
    }

    private const int Batch = Epoll.MaxEvents;

    /// <summary>How long a poll spins without yielding the CPU: 16 µs. Against yielding after every pass, in the same rounds
    /// of bench/switch.sh: spinning throughout took p50 from 1.53× the bridge to 1.41× but single-stream TCP 5% lower;
    /// this took p50 from 1.55× to 1.46× with TCP within 3% (8 rounds each).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * 16 / 1_000_000;

    /// <summary>The most frames a wake-up or a poll pass may move and still be polled after.</summary>
    private const int PollBurst = 4;

    private void Run()
    {
        current = this;
        var buffer = new byte[Framing.PacketInfoSize + 16 + Frame.MaxEthernet + 1];
        Span<ulong> tokens = stackalloc ulong[Batch];
        Span<uint> events = stackalloc uint[Batch];
        while (!stopping)
        {
            while (posted.TryDequeue(out var work)) work();
            var n = epoll.Wait(tokens, events, 1000);
            round++;
            var moved = 0;
            for (var i = 0; i < n; i++)
            {
                if (tokens[i] == Epoll.WakeToken || !ports.TryGetValue(tokens[i], out var port)) continue;
                if ((events[i] & Epoll.Writable) != 0) port.OnWritable();
                if ((events[i] & (Epoll.Readable | Epoll.Error | Epoll.HangUp)) == 0) continue;
                var frames = Receive(port, buffer);
                if (frames == 0) continue;
                moved += frames;
                Talked(port);
            }
            if (talking > 0 && pollTicks > 0 && moved <= PollBurst) Poll(buffer);
            Array.Clear(active, 0, talking);
            talking = 0;
        }
    }

    /// <summary>A frame was written to <paramref name="port"/>: if this thread is the loop that reads it, its reply is worth polling for.</summary>
    internal static void Wrote(Port port)
    {
        var loop = current;
        if (loop is not null && loop.pollTicks > 0 && ReferenceEquals(port.Loop, loop)) loop.Talked(port);
    }

    private void Talked(Port port)
    {
        if (port.PollRound == round || talking == active.Length) return;
        port.PollRound = round;
        active[talking++] = port;
    }

    /// <summary>Reads the ports that just took part until the poll budget passes without a frame.</summary>
    private void Poll(byte[] buffer)
    {
        var quietSince = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!stopping)
        {
            var moved = 0;
            for (var i = 0; i < talking; i++)
                // A port removed meanwhile is no longer read: Remove promises that to whoever closes its fd.
                if (ports.ContainsKey((ulong)active[i].Id)) moved += Receive(active[i], buffer);
            if (moved > PollBurst) return;
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (moved > 0) quietSince = now;
            else if (now - quietSince > pollTicks) return;
            // A reply comes about a round trip of the far side after its request: the poll's first microseconds spin,
            // so it is read the moment it is there; later passes yield, so that a sender on this CPU is not kept waiting.
            else if (now - quietSince > SpinTicks) Thread.Yield();
        }
    }

    /// <summary>Reads one burst and says how many frames it moved. A port that broke is reported and moves none.</summary>
    private int Receive(Port port, byte[] buffer)
    {
        var reason = port.ReceiveBurst(buffer, forward, out var frames);
        if (reason is null) return frames;
        failed(port, reason);
        return 0;
    }

    public void Dispose()
    {
        stopping = true;
        epoll.Wake();
        thread.Join();
        epoll.Dispose();
    }
}
