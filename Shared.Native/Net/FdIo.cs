using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// Raw reads and writes on an fd for the switch's frame loops: errno comes back as a value, not an exception,
/// because EAGAIN is the normal end of every burst.
/// </summary>
public static unsafe class FdIo
{
    /// <summary>Bytes read, or the negated errno.</summary>
    public static int Read(SafeFd fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = (int)Libc.read(fd, p, (nuint)buffer.Length);
            return n >= 0 ? n : -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Writes the parts as one datagram (a TAP takes one frame per write); bytes written or the negated errno.</summary>
    public static int Write(SafeFd fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var iov = stackalloc Libc.IoVec[2];
            iov[0] = new Libc.IoVec { Base = a, Length = (nuint)first.Length };
            iov[1] = new Libc.IoVec { Base = b, Length = (nuint)second.Length };
            var n = (int)Libc.writev(fd, iov, second.IsEmpty ? 1 : 2);
            return n >= 0 ? n : -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Everything until end of file, as UTF-8 text (a report pipe's few lines).</summary>
    public static string ReadToEnd(SafeFd fd)
    {
        var text = new System.IO.MemoryStream();
        Span<byte> buffer = stackalloc byte[1024];
        while (true)
        {
            var n = Read(fd, buffer);
            if (n == -Errno.EINTR) continue;
            if (n <= 0) return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
            text.Write(buffer[..n]);
        }
    }

    public static void SetCloseOnExec(SafeFd fd) => NativeException.Check(Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC), "fcntl F_SETFD");

    public static void SetNonBlocking(SafeFd fd, bool on = true)
    {
        var flags = NativeException.Check(Libc.fcntl(fd, Libc.F_GETFL, 0), "fcntl F_GETFL");
        NativeException.Check(Libc.fcntl(fd, Libc.F_SETFL, on ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK), "fcntl F_SETFL");
    }
}
