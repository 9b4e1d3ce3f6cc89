using System.Collections.Concurrent;
using Containet.Native;
using Microsoft.Extensions.Logging;

namespace Containet.Control;

/// <summary>
/// Accepts control connections on the switch's socket and on sockets handed over with add-ctrlsock, and
/// serves each connection on its own thread: control traffic is rare, and a blocked client stalls only itself.
/// </summary>
public sealed class ControlServer : IDisposable
{
    private readonly ControlHandler handler;
    private readonly PeerPolicy policy;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<SafeFd, string> listeners = new();
    private readonly ConcurrentDictionary<SafeFd, byte> connections = new();
    private volatile bool stopping;

    public ControlServer(Func<Action<string, SafeFd>, ControlHandler> handlerFactory, PeerPolicy policy, ILogger logger)
    {
        handler = handlerFactory(AddListener);
        this.policy = policy;
        this.logger = logger;
    }

    /// <summary>Serves a listening socket until the switch stops or its node goes away.</summary>
    public void AddListener(string owner, SafeFd listener)
    {
        listeners[listener] = owner;
        new Thread(() => AcceptLoop(listener)) { IsBackground = true, Name = "accept-" + owner }.Start();
        if (owner.Length > 0) ContainetLog.CtrlSockAdded(logger, owner);
    }

    /// <summary>Stops the control sockets a node handed over, once its ports are gone.</summary>
    public void RemoveListeners(string owner)
    {
        foreach (var (fd, o) in listeners)
            if (o == owner && listeners.TryRemove(fd, out _))
                UnixSocket.Shutdown(fd);
    }

    private void AcceptLoop(SafeFd listener)
    {
        try
        {
            while (!stopping)
            {
                SafeFd connection;
                try
                {
                    connection = UnixSocket.Accept(listener);
                }
                catch (NativeException e) when (e.Errno is Errno.EINTR or Errno.ECONNRESET)
                {
                    continue;
                }
                new Thread(() => Serve(connection)) { IsBackground = true, Name = "control" }.Start();
            }
        }
        catch (NativeException)
        {
            // Shut down (EINVAL) or the socket broke: either way this listener is done.
        }
        finally
        {
            listeners.TryRemove(listener, out _);
            listener.Dispose();
        }
    }

    private void Serve(SafeFd connection)
    {
        connections[connection] = 0;
        var (pid, uid, gid) = UnixSocket.PeerCredentials(connection);
        var reason = "client closed";
        var taken = new List<Ports.Port>();
        try
        {
            if (!policy.Allows(pid, uid, gid))
            {
                ContainetLog.RequestRejected(logger, pid, $"uid {uid} is not allowed");
                Reply(connection, ControlHandler.Error($"permission denied: uid {uid} may not use this switch"));
                reason = "not allowed";
                return;
            }
            var buffer = new byte[Native.SwitchClient.MaxMessage + 1];
            while (!stopping)
            {
                var n = FdPassing.Receive(connection, buffer, out var fd);
                if (n == 0) { fd?.Dispose(); return; }
                var reply = Answer(buffer.AsSpan(0, n), ref fd, connection, pid, out var replyFd, taken);
                using (replyFd)
                    FdPassing.Send(connection, reply, replyFd);
                fd?.Dispose();
            }
        }
        catch (NativeException e)
        {
            reason = e.Message;
        }
        finally
        {
            ContainetLog.ConnectionClosed(logger, pid, uid, reason);
            handler.Release(taken);
            connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    private byte[] Answer(ReadOnlySpan<byte> message, ref SafeFd? fd, SafeFd connection, int pid, out SafeFd? replyFd, List<Ports.Port> taken)
    {
        replyFd = null;
        try
        {
            if (message.Length > Native.SwitchClient.MaxMessage)
            {
                Drain(connection);
                throw new ControlProtocolException($"request larger than {Native.SwitchClient.MaxMessage} bytes");
            }
            return handler.Handle(ControlRequest.Parse(message), ref fd, out replyFd, taken);
        }
        catch (Exception e) when (e is ControlProtocolException or InvalidOperationException or NativeException)
        {
            ContainetLog.RequestRejected(logger, pid, e.Message);
            return ControlHandler.Error(e.Message);
        }
    }

    /// <summary>Discards the rest of an oversized message so the next request starts clean.</summary>
    private static void Drain(SafeFd connection)
    {
        var scratch = new byte[Native.SwitchClient.MaxMessage];
        try
        {
            while (FdPassing.Receive(connection, scratch, out var stray, dontWait: true) > 0)
                stray?.Dispose();
        }
        catch (NativeException e) when (e.Errno == Errno.EAGAIN)
        {
        }
    }

    private static void Reply(SafeFd connection, byte[] reply) => FdPassing.Send(connection, reply);

    public void Dispose()
    {
        stopping = true;
        foreach (var fd in listeners.Keys) UnixSocket.Shutdown(fd);
        foreach (var fd in connections.Keys) UnixSocket.Shutdown(fd);
    }
}
