using System.Collections.Concurrent;
using Containet.Frames;
using Containet.Native;
using Containet.Ports;

namespace Containet.Switching;

/// <summary>
/// One thread waiting on an epoll set of port fds and reading each ready port's burst. After a wake-up that
/// moved frames it keeps reading the ports that moved them, with non-blocking reads, until a poll budget passes
/// without a frame: a reply that comes within the budget is read without a wake-up across CPUs, which is most
/// of a hop's latency. Only ports that just talked are polled, and only briefly, so an idle switch sleeps.
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
    private volatile bool stopping;

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

    private const int Batch = 64;

    private void Run()
    {
        var buffer = new byte[Framing.PacketInfoSize + 16 + Frame.MaxEthernet + 1];
        Span<ulong> tokens = stackalloc ulong[Batch];
        Span<uint> events = stackalloc uint[Batch];
        var active = new Port[Batch];
        while (!stopping)
        {
            while (posted.TryDequeue(out var work)) work();
            var n = epoll.Wait(tokens, events, 1000);
            var talking = 0;
            for (var i = 0; i < n; i++)
            {
                if (tokens[i] == Epoll.WakeToken || !ports.TryGetValue(tokens[i], out var port)) continue;
                if ((events[i] & Epoll.Writable) != 0) port.OnWritable();
                if ((events[i] & (Epoll.Readable | Epoll.Error | Epoll.HangUp)) == 0) continue;
                if (Receive(port, buffer)) active[talking++] = port;
            }
            if (talking > 0 && pollTicks > 0) Poll(active.AsSpan(0, talking), buffer);
            Array.Clear(active, 0, talking);
        }
    }

    /// <summary>Reads the ports that just moved frames until the poll budget passes without one.</summary>
    private void Poll(Span<Port> talking, byte[] buffer)
    {
        var quietSince = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!stopping)
        {
            var moved = false;
            foreach (var port in talking)
                // A port removed meanwhile is no longer read: Remove promises that to whoever closes its fd.
                if (ports.ContainsKey((ulong)port.Id) && Receive(port, buffer)) moved = true;
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (moved) quietSince = now;
            else if (now - quietSince > pollTicks) return;
        }
    }

    /// <summary>Reads one burst; true when it moved frames. A port that broke is reported and moves none.</summary>
    private bool Receive(Port port, byte[] buffer)
    {
        var reason = port.ReceiveBurst(buffer, forward, out var frames);
        if (reason is null) return frames > 0;
        failed(port, reason);
        return false;
    }

    public void Dispose()
    {
        stopping = true;
        epoll.Wake();
        thread.Join();
        epoll.Dispose();
    }
}
