using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>One message with at most one file descriptor riding along as SCM_RIGHTS.</summary>
public static unsafe class FdPassing
{
    // CMSG_SPACE(sizeof(int)) on 64-bit: a 16-byte cmsghdr and the int padded to 8.
    private const int ControlSpace = 24;
    private const int ControlLen = 20;

    public static void Send(SafeFd socket, ReadOnlySpan<byte> data, SafeFd? fd = null)
    {
        var sent = SendSome(socket, data, fd, dontWait: false);
        if (sent != data.Length)
            throw new NativeException(Errno.EMSGSIZE, "sendmsg", $"sent {sent} of {data.Length} bytes");
    }

    /// <summary>
    /// Sends what the socket takes now without waiting: the number of bytes sent, 0 when its buffer is full
    /// (EAGAIN). The fd, if any, goes with the first of them.
    /// </summary>
    public static int SendSome(SafeFd socket, ReadOnlySpan<byte> data, SafeFd? fd = null) => SendSome(socket, data, fd, dontWait: true);

    private static int SendSome(SafeFd socket, ReadOnlySpan<byte> data, SafeFd? fd, bool dontWait)
    {
        var control = stackalloc byte[ControlSpace];
        fixed (byte* p = data)
        {
            var iov = new Libc.IoVec { Base = p, Length = (nuint)data.Length };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1 };
            var added = false;
            try
            {
                if (fd is not null)
                {
                    fd.DangerousAddRef(ref added);
                    new Span<byte>(control, ControlSpace).Clear();
                    var hdr = (Libc.CmsgHdr*)control;
                    hdr->Len = ControlLen;
                    hdr->Level = Libc.SOL_SOCKET;
                    hdr->Type = Libc.SCM_RIGHTS;
                    *(int*)(control + sizeof(Libc.CmsgHdr)) = fd.Number;
                    msg.Control = control;
                    msg.ControlLen = ControlSpace;
                }
                var sent = (long)Libc.sendmsg(socket, &msg, Libc.MSG_NOSIGNAL | (dontWait ? Libc.MSG_DONTWAIT : 0));
                if (sent >= 0) return (int)sent;
                var e = NativeException.Last("sendmsg");
                return dontWait && e.Errno == Errno.EAGAIN ? 0 : throw e;
            }
            finally
            {
                if (added) fd!.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Receives one message into <paramref name="buffer"/>; returns its length (0 at end of stream) and the fd it
    /// carried, if any. Extra fds are closed at once so a hostile client cannot leak descriptors into the switch.
    /// </summary>
    public static int Receive(SafeFd socket, Span<byte> buffer, out SafeFd? fd, bool dontWait = false)
    {
        fd = null;
        const int controlSize = 256;
        var control = stackalloc byte[controlSize];
        fixed (byte* p = buffer)
        {
            var iov = new Libc.IoVec { Base = p, Length = (nuint)buffer.Length };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = controlSize };
            var n = (int)NativeException.Check((long)Libc.recvmsg(socket, &msg, Libc.MSG_CMSG_CLOEXEC | (dontWait ? Libc.MSG_DONTWAIT : 0)), "recvmsg");
            for (var offset = 0; offset + sizeof(Libc.CmsgHdr) <= (int)msg.ControlLen;)
            {
                var hdr = (Libc.CmsgHdr*)(control + offset);
                if (hdr->Len < (nuint)sizeof(Libc.CmsgHdr)) break;
                if (hdr->Level == Libc.SOL_SOCKET && hdr->Type == Libc.SCM_RIGHTS)
                {
                    var count = ((int)hdr->Len - sizeof(Libc.CmsgHdr)) / sizeof(int);
                    var fds = (int*)(control + offset + sizeof(Libc.CmsgHdr));
                    for (var i = 0; i < count; i++)
                    {
                        if (fd is null) fd = new SafeFd(fds[i]);
                        else Libc.close(fds[i]);
                    }
                }
                offset += ((int)hdr->Len + 7) & ~7;
            }
            return n;
        }
    }
}
