using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A TCP connection on a plain blocking socket: connecting has a deadline and notices cancelling, a read that
/// waits too long fails, and <see cref="Abort"/> from another thread ends a blocked read. .NET's Socket connects
/// with a deadline only through its async API, whose engine thread and state machines a short-lived process
/// pays for (33 ms against 8 for a first connect and read when mocker ran on the JIT).
/// </summary>
public sealed unsafe class TcpStream : SequentialStream
{
    private readonly SafeFd fd;
    private readonly string peer;

    private TcpStream(SafeFd fd, string peer)
    {
        this.fd = fd;
        this.peer = peer;
    }

    /// <summary>
    /// Connects to an IPv4 (4 bytes) or IPv6 (16 bytes) address of <paramref name="host"/>; errors are
    /// <see cref="NativeException"/>s naming host and port.
    /// </summary>
    public static TcpStream Connect(string host, byte[] address, int port, TimeSpan timeout, TimeSpan readTimeout, CancellationToken ct)
    {
        var peer = $"{host}:{port}";
        var v4 = address.Length == 4;
        var fd = SafeFd.Check(Libc.socket(v4 ? Libc.AF_INET : Libc.AF_INET6, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0), "socket", peer);
        try
        {
            // sockaddr_in / sockaddr_in6: family, port in network order, then the address.
            var sa = stackalloc byte[28];
            new Span<byte>(sa, 28).Clear();
            sa[0] = (byte)(v4 ? Libc.AF_INET : Libc.AF_INET6);
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(sa + 2, 2), (ushort)port);
            address.CopyTo(new Span<byte>(sa + (v4 ? 4 : 8), address.Length));
            if (Libc.connect(fd, sa, v4 ? 16u : 28u) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINPROGRESS) throw new NativeException(errno, "connect", peer);
                Await(fd, peer, timeout, ct);
            }
            FdIo.SetNonBlocking(fd, on: false);
            var one = 1;
            Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &one, sizeof(int));
            var tv = stackalloc long[2] { (long)readTimeout.TotalSeconds, 0 };
            NativeException.Check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16), "setsockopt SO_RCVTIMEO", peer);
            return new TcpStream(fd, peer);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    // Waits for a non-blocking connect in short polls, so that cancelling is noticed.
    private static void Await(SafeFd fd, string peer, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var raw = (int)fd.DangerousGetHandle();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var left = deadline - Environment.TickCount64;
            if (left <= 0) throw new NativeException(Errno.ETIMEDOUT, "connect", peer);
            var pfd = new Libc.PollFd { Fd = raw, Events = Libc.POLLOUT };
            var ready = Libc.poll(&pfd, 1, (int)Math.Min(left, 100));
            if (ready < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR) throw NativeException.Last("poll", peer);
            if (ready <= 0) continue;
            int error = 0;
            var len = (uint)sizeof(int);
            NativeException.Check(Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &error, &len), "getsockopt SO_ERROR", peer);
            if (error != 0) throw new NativeException(error, "connect", peer);
            return;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var n = FdIo.Read(fd, buffer);
            if (n >= 0) return n;
            if (-n == Errno.EINTR) continue;
            // SO_RCVTIMEO ran out.
            throw new NativeException(-n == Errno.EAGAIN ? Errno.ETIMEDOUT : -n, "read", peer);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
            for (var done = 0; done < buffer.Length;)
            {
                var n = Libc.send(fd, p + done, (nuint)(buffer.Length - done), Libc.MSG_NOSIGNAL);
                if (n >= 0) done += (int)n;
                else if (Marshal.GetLastPInvokeError() != Errno.EINTR) throw NativeException.Last("send", peer);
            }
    }

    /// <summary>
    /// Shuts the connection down: a read blocked in another thread returns at once. Dispose still closes it.
    /// Safe after Dispose, which may come first from another thread (a cancelled request closes its connection).
    /// </summary>
    public void Abort()
    {
        try
        {
            Libc.shutdown(fd, Libc.SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: nothing is left to end.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) fd.Dispose();
        base.Dispose(disposing);
    }
}
