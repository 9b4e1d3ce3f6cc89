using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Unix stream sockets: listen, connect, accept and who is on the other end.</summary>
public static unsafe class UnixSocket
{
    public static SafeFd Listen(string path, uint mode = Mode.O660, int backlog = 64)
    {
        var fd = NewSocket(path);
        try
        {
            var addr = Address(path);
            NativeException.Check(Libc.bind(fd, &addr, (uint)sizeof(Libc.SockaddrUn)), "bind", path);
            NativeException.Check(Libc.chmod(path, mode), "chmod", path);
            NativeException.Check(Libc.listen(fd, backlog), "listen", path);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public static SafeFd Connect(string path)
    {
        var fd = NewSocket(path);
        try
        {
            var addr = Address(path);
            NativeException.Check(Libc.connect(fd, &addr, (uint)sizeof(Libc.SockaddrUn)), "connect", path);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next connection: blocks for it unless the listener is non-blocking (EAGAIN when none waits); EINVAL once
    /// <see cref="Shutdown"/> stopped the listener. <paramref name="nonBlocking"/> makes the connection non-blocking.
    /// </summary>
    public static SafeFd Accept(SafeFd listener, bool nonBlocking = false) =>
        SafeFd.Check(Libc.accept4(listener, null, null, Libc.SOCK_CLOEXEC | (nonBlocking ? Libc.SOCK_NONBLOCK : 0)), "accept");

    /// <summary>Wakes any thread blocked in accept or recv on the socket; the fd stays open until disposed.</summary>
    public static void Shutdown(SafeFd fd) => Libc.shutdown(fd, Libc.SHUT_RDWR);

    /// <summary>
    /// Makes a bound socket listen, as the original switch did with the sockets the original containode handed it
    /// (bound, not yet listening); a socket that already listens is left as it is. Fails for an unbound one (EINVAL).
    /// </summary>
    public static void EnsureListening(SafeFd fd, int backlog = 64)
    {
        if (!IsListening(fd)) NativeException.Check(Libc.listen(fd, backlog), "listen");
    }

    public static bool IsListening(SafeFd fd)
    {
        int value = 0;
        uint len = sizeof(int);
        return Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ACCEPTCONN, &value, &len) == 0 && value != 0;
    }

    public static (int Pid, uint Uid, uint Gid) PeerCredentials(SafeFd fd)
    {
        Libc.UCred cred;
        uint len = (uint)sizeof(Libc.UCred);
        NativeException.Check(Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, &cred, &len), "getsockopt SO_PEERCRED");
        return (cred.Pid, cred.Uid, cred.Gid);
    }

    public static (SafeFd, SafeFd) Pair(bool datagram = false)
    {
        int* sv = stackalloc int[2];
        var type = (datagram ? Libc.SOCK_DGRAM : Libc.SOCK_STREAM) | Libc.SOCK_CLOEXEC;
        NativeException.Check(Libc.socketpair(Libc.AF_UNIX, type, 0, sv), "socketpair");
        return (new SafeFd(sv[0]), new SafeFd(sv[1]));
    }

    private static SafeFd NewSocket(string path) =>
        SafeFd.Check(Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), "socket", path);

    private static Libc.SockaddrUn Address(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
            throw new NativeException(Errno.ENAMETOOLONG, "socket", path);
        var addr = new Libc.SockaddrUn { Family = Libc.AF_UNIX };
        bytes.CopyTo(new Span<byte>(addr.Path, 108));
        return addr;
    }
}
