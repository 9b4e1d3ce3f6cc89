using Containet.Native;
using Containet.Ports;

namespace Containet.Control;

/// <summary>
/// One control connection as the event loop keeps it: the peer, the bytes of requests still arriving, at most
/// one request being carried out and one reply being sent, and the ports it holds. The loop owns it; a worker
/// touches only the ports, under the connection's lock.
/// </summary>
public sealed class ControlConnection(ulong id, SafeFd socket, ControlPeer peer, ulong listener) : IDisposable
{
    private readonly List<Port> taken = [];
    private readonly List<Port> added = [];
    private byte[]? reply;
    private int sent;
    private SafeFd? replyFd;

    public ulong Id { get; } = id;
    public SafeFd Socket { get; } = socket;
    public ControlPeer Peer { get; } = peer;

    /// <summary>The listener it came from, whose node it speaks for.</summary>
    public ulong Listener { get; } = listener;

    public RequestFramer Framer { get; } = new();

    /// <summary>A worker is carrying out one of its requests.</summary>
    public bool Busy { get; set; }

    /// <summary>Closed while a worker still had its request; the loop finishes the clean-up when the reply comes.</summary>
    public bool Closed { get; set; }

    public long LastActive { get; set; } = Environment.TickCount64;

    public bool Replying => reply is not null;

    /// <summary>Records a port made on this connection: a taken one ends with it, an added one outlives it.</summary>
    public void Hold(Port port, bool endsWithConnection)
    {
        lock (taken) (endsWithConnection ? taken : added).Add(port);
    }

    /// <summary>Whether a port made on this connection is still open: then it belongs to a launcher waiting for its container.</summary>
    public bool HoldsPort
    {
        get
        {
            lock (taken)
            {
                taken.RemoveAll(p => p.CloseReason is not null);
                added.RemoveAll(p => p.CloseReason is not null);
                return taken.Count + added.Count > 0;
            }
        }
    }

    /// <summary>The take-netns ports, which end when the connection does.</summary>
    public Port[] Taken
    {
        get { lock (taken) return [.. taken]; }
    }

    public void Reply(byte[] bytes, SafeFd? fd)
    {
        reply = bytes;
        sent = 0;
        replyFd = fd;
    }

    /// <summary>Sends what the socket takes of the reply; true once all of it is out (the fd with the first bytes).</summary>
    public bool Flush()
    {
        if (reply is null) return true;
        var n = FdPassing.SendSome(Socket, reply.AsSpan(sent), sent == 0 ? replyFd : null);
        if (n > 0 && replyFd is not null)
        {
            replyFd.Dispose();
            replyFd = null;
        }
        sent += n;
        if (sent < reply.Length) return false;
        reply = null;
        return true;
    }

    public void Dispose()
    {
        replyFd?.Dispose();
        Framer.Dispose();
        Socket.Dispose();
    }
}
