using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/pidfd.h: a process as an fd, so a signal or a wait never reaches a later process with the same PID.</summary>
internal static partial class Libc
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pidfd_send_signal(SafeFd pidfd, int sig, nint info, uint flags);
}
