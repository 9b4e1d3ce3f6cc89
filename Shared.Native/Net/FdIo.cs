using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// Raw reads and writes on an fd for the switch's frame loops: errno comes back as a value, not an exception,
/// because EAGAIN is the normal end of every burst.
/// </summary>
public static unsafe class FdIo
{
    /// <summary>Bytes read, or the negated errno; a read a signal interrupted is made again.</summary>
    public static int Read(SafeFd fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n;
            do n = Libc.read(fd, p, (nuint)buffer.Length); while (Libc.Interrupted(n));
            return n >= 0 ? (int)n : -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Reads until the span is full or the file ends: the count read, or the negated errno.</summary>
    public static int ReadFull(SafeFd fd, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = Read(fd, buffer[total..]);
            if (n < 0) return n;
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>
    /// Writes the parts as one datagram (a TAP takes one frame per write); bytes written or the negated errno. A
    /// write a signal interrupted wrote nothing, and is made again.
    /// </summary>
    public static int Write(SafeFd fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var iov = stackalloc Libc.IoVec[2];
            iov[0] = new Libc.IoVec { Base = a, Length = (nuint)first.Length };
            iov[1] = new Libc.IoVec { Base = b, Length = (nuint)second.Length };
            nint n;
            do n = Libc.writev(fd, iov, second.IsEmpty ? 1 : 2); while (Libc.Interrupted(n));
            return n >= 0 ? (int)n : -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
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
