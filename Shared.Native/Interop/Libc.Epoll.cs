using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/epoll.h.</summary>
internal static unsafe partial class Libc
{
    public const int EPOLL_CLOEXEC = O_CLOEXEC;
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 1, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 16, EPOLLRDHUP = 0x2000, EPOLLONESHOT = 1u << 30;

    // The kernel packs epoll_event on x86-64 (12 bytes), and not on other architectures.
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent { public uint Events; public ulong Data; }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(SafeFd epfd, int op, SafeFd fd, EpollEvent* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(SafeFd epfd, EpollEvent* events, int maxevents, int timeout);
}
