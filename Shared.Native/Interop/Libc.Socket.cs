using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/socket.h, sys/un.h and netinet/tcp.h: unix and TCP sockets, SCM_RIGHTS and SO_PEERCRED.</summary>
internal static unsafe partial class Libc
{
    public const int AF_UNIX = 1, AF_INET = 2, AF_NETLINK = 16, AF_PACKET = 17, AF_INET6 = 10;
    public const int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC;
    public const int SOL_SOCKET = 1, SO_PEERCRED = 17, SO_RCVBUF = 8, SO_SNDBUF = 7, SO_ACCEPTCONN = 30;
    public const int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    public const int MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public const int SHUT_RDWR = 2;
    public const int SO_ERROR = 4, SO_RCVTIMEO = 20, IPPROTO_TCP = 6, TCP_NODELAY = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrUn
    {
        public ushort Family;
        public fixed byte Path[108];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLen;
        public IoVec* Iov;
        public nuint IovLen;
        public void* Control;
        public nuint ControlLen;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgHdr
    {
        public nuint Len;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct UCred { public int Pid; public uint Uid; public uint Gid; }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int bind(SafeFd fd, void* addr, uint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int listen(SafeFd fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int accept4(SafeFd fd, void* addr, uint* len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int connect(SafeFd fd, void* addr, uint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(SafeFd fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvmsg(SafeFd fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(SafeFd fd, void* buf, nuint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(SafeFd fd, void* buf, nuint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockopt(SafeFd fd, int level, int name, void* value, uint* len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(SafeFd fd, int level, int name, void* value, uint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(SafeFd fd, int how);
}
