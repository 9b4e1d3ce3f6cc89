using System.Collections.Concurrent;
using Containet.Frames;
using Containet.Native;
using Containet.Ports;

namespace Containet.Switching;

/// <summary>
/// One thread waiting on an epoll set of port fds and reading each ready port's burst. The switch runs one
/// loop per core, so busy ports on different loops receive in parallel.
/// </summary>
public sealed class ReceiveLoop : IDisposable
{
    private readonly Epoll epoll = new();
    private readonly ConcurrentDictionary<ulong, Port> ports = new();
    private readonly Thread thread;
    private readonly FrameHandler forward;
    private readonly Action<Port, string> failed;
    private volatile bool stopping;

    public ReceiveLoop(int index, FrameHandler forward, Action<Port, string> failed)
    {
        this.forward = forward;
        this.failed = failed;
        thread = new Thread(Run, maxStackSize: 512 * 1024) { IsBackground = true, Name = "receive-" + index };
        thread.Start();
    }

    public int PortCount => ports.Count;

    public void Add(Port port)
    {
        FdIo.SetNonBlocking(port.Tap.Handle);
        ports[(ulong)port.Id] = port;
        port.WriteInterest = (p, on) => epoll.Modify(p.Tap.Handle, (ulong)p.Id, on ? Epoll.Readable | Epoll.Writable : Epoll.Readable);
        epoll.Add(port.Tap.Handle, (ulong)port.Id, Epoll.Readable);
    }

    /// <summary>Stops watching a port; after this returns the loop no longer reads it, so its fd may close.</summary>
    public void Remove(Port port)
    {
        if (!ports.TryRemove((ulong)port.Id, out _)) return;
        epoll.Remove(port.Tap.Handle);
    }

    private void Run()
    {
        var buffer = new byte[Framing.PacketInfoSize + 16 + Frame.MaxEthernet + 1];
        Span<ulong> tokens = stackalloc ulong[64];
        Span<uint> events = stackalloc uint[64];
        while (!stopping)
        {
            var n = epoll.Wait(tokens, events, 1000);
            for (var i = 0; i < n; i++)
            {
                if (tokens[i] == Epoll.WakeToken || !ports.TryGetValue(tokens[i], out var port)) continue;
                if ((events[i] & Epoll.Writable) != 0) port.OnWritable();
                if ((events[i] & (Epoll.Readable | Epoll.Error | Epoll.HangUp)) == 0) continue;
                var reason = port.ReceiveBurst(buffer, forward);
                if (reason is not null) failed(port, reason);
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        epoll.Wake();
        thread.Join();
        epoll.Dispose();
    }
}
