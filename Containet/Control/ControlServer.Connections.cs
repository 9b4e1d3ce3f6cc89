using Containet.Native;
using Containet.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Containet.Control;

public sealed partial class ControlServer
{
    private SafeFileHandle? spare = OpenSpare();

    /// <summary>Takes one waiting connection, and keeps it if the policy and the caps allow.</summary>
    private void Accept(Listener listener)
    {
        SafeFd socket;
        try
        {
            socket = UnixSocket.Accept(listener.Socket, nonBlocking: true);
        }
        catch (NativeException e) when (e.Errno is Errno.EMFILE or Errno.ENFILE or Errno.ENOBUFS or Errno.ENOMEM)
        {
            Shed(listener, e);
            return;
        }
        catch (NativeException)
        {
            return; // EAGAIN, ECONNABORTED: nobody is waiting any more
        }
        ControlPeer peer;
        try
        {
            var (pid, uid, gid) = UnixSocket.PeerCredentials(socket);
            peer = new ControlPeer(pid, uid, listener.Node);
            var refusal = !policy.Allows(pid, uid, gid) ? $"permission denied: uid {uid} may not use this switch" : Admit(peer);
            if (refusal is not null)
            {
                Refuse(socket, peer.Key, refusal);
                return;
            }
            var id = Interlocked.Increment(ref nextId);
            epoll.Add(socket, id, Epoll.Readable | Epoll.OneShot);
            connections[id] = new ControlConnection(id, socket, peer, listener.Id);
        }
        catch (NativeException e)
        {
            Refuse(socket, "a peer", e.Message);
        }
    }

    /// <summary>Why a new connection of <paramref name="peer"/> is over a cap, or null.</summary>
    private string? Admit(ControlPeer peer)
    {
        if (connections.Count >= options.MaxConnections)
            return $"too many connections: {connections.Count} open (--max-connections {options.MaxConnections})";
        var own = 0;
        foreach (var c in connections.Values)
            if (c.Peer.Key == peer.Key && !(c.Peer.IsAdmin && c.HoldsPort)) own++;
        return own >= options.MaxConnectionsPerPeer
            ? $"too many connections from {peer.Key}: {own} open (--max-connections-per-peer {options.MaxConnectionsPerPeer})"
            : null;
    }

    /// <summary>Answers a connection it will not serve with the reason, if its buffer takes it, and closes it.</summary>
    private void Refuse(SafeFd socket, string peer, string reason)
    {
        try { FdPassing.SendSome(socket, Reply.Error(reason)); }
        catch (NativeException) { }
        socket.Dispose();
        if (refusals.Allow("connections refused", Environment.TickCount64)) ContainetLog.ConnectionRefused(logger, peer, reason);
    }

    /// <summary>
    /// Out of fds: frees the spare one to accept and close the waiting connection, so it is refused rather than
    /// left spinning the loop; without a spare, the listener pauses until the next sweep.
    /// </summary>
    private void Shed(Listener listener, NativeException e)
    {
        spare?.Dispose();
        spare = null;
        try { UnixSocket.Accept(listener.Socket, nonBlocking: true).Dispose(); }
        catch (NativeException)
        {
            listener.Paused = true;
            epoll.Modify(listener.Socket, listener.Id, 0);
        }
        spare = OpenSpare();
        if (refusals.Allow("connections refused", Environment.TickCount64)) ContainetLog.ConnectionRefused(logger, "a peer", e.Message);
    }

    private static SafeFileHandle? OpenSpare()
    {
        try { return File.OpenHandle("/dev/null"); }
        catch (IOException) { return null; }
    }

    /// <summary>The connection is readable, writable or hung up: move its reply or its requests on, then re-arm it.</summary>
    private void Serve(ControlConnection c, uint events)
    {
        try
        {
            if (c.Replying && !c.Flush())
            {
                Arm(c);
                return;
            }
            if ((events & (Epoll.Readable | Epoll.HangUp | Epoll.Error)) != 0 && !c.Busy && !Receive(c)) return;
            Pump(c);
        }
        catch (NativeException e)
        {
            Close(c, e.Message);
        }
    }

    /// <summary>Reads once into the connection's buffer; false if the connection ended.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "a received fd goes to the connection's framer, which owns it from then on")]
    private bool Receive(ControlConnection c)
    {
        int n;
        SafeFd? fd;
        try
        {
            n = FdPassing.Receive(c.Socket, c.Framer.Free, out fd, dontWait: true);
        }
        catch (NativeException e) when (e.Errno is Errno.EAGAIN or Errno.EINTR)
        {
            return true;
        }
        if (n == 0)
        {
            fd?.Dispose();
            Close(c, "client closed");
            return false;
        }
        c.Framer.Received(n, fd);
        c.LastActive = Environment.TickCount64;
        return true;
    }

    /// <summary>Answers what the buffer holds, one request at a time, until a worker has one or a reply waits.</summary>
    private void Pump(ControlConnection c)
    {
        while (!c.Busy && !c.Replying && c.Framer.TryNext(out var item))
        {
            if (item.Rejection is { } why)
            {
                Warn(c.Peer, why);
                c.Reply(Reply.Error(why), null);
                c.Flush();
            }
            else Dispatch(c, item);
        }
        Arm(c);
    }

    private void Dispatch(ControlConnection c, RequestFramer.Item item)
    {
        c.Busy = true;
        workers.Run(() =>
        {
            var fd = item.Fd;
            SafeFd? replyFd = null;
            byte[] reply;
            try
            {
                reply = handler.Handle(SwitchRequest.Decode(item.Json.Span), ref fd, out replyFd, c);
            }
            catch (Exception e) when (e is ControlProtocolException or InvalidOperationException or NativeException or OutOfMemoryException or ThreadStartException)
            {
                // OutOfMemoryException and ThreadStartException: no thread could be made for this request (take-netns).
                Warn(c.Peer, e.Message);
                reply = Reply.Error(e.Message, (e as ControlProtocolException)?.Code);
            }
            catch (Exception e)
            {
                ContainetLog.RequestFailed(logger, c.Peer.Key, e.ToString());
                reply = Reply.Error("internal error: " + e.Message);
            }
            fd?.Dispose();
            Post(() => Complete(c, reply, replyFd));
        });
    }

    /// <summary>A worker is done with the connection's request: send the reply and go on with the next.</summary>
    private void Complete(ControlConnection c, byte[] reply, SafeFd? replyFd)
    {
        c.Busy = false;
        c.LastActive = Environment.TickCount64;
        if (c.Closed)
        {
            replyFd?.Dispose();
            handler.Release(c.Taken);
            return;
        }
        c.Reply(reply, replyFd);
        Serve(c, 0);
    }

    /// <summary>Watches the connection again for what it waits on: the peer reading a reply, or more requests.</summary>
    private void Arm(ControlConnection c)
    {
        if (c.Busy) return; // re-armed when the worker is done
        epoll.Modify(c.Socket, c.Id, (c.Replying ? Epoll.Writable : Epoll.Readable) | Epoll.OneShot);
    }

    private void Close(ControlConnection c, string reason)
    {
        if (!connections.Remove(c.Id)) return;
        epoll.Remove(c.Socket);
        c.Dispose();
        ContainetLog.ConnectionClosed(logger, c.Peer.Key, c.Peer.Pid, reason);
        if (c.Busy) c.Closed = true;
        else handler.Release(c.Taken);
    }

    private void Warn(ControlPeer peer, string reason)
    {
        if (warnings.Allow(peer.Key, Environment.TickCount64)) ContainetLog.RequestRejected(logger, peer.Key, Printable.Escape(reason));
    }
}
