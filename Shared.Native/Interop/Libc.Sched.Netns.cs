using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sched.h: setns and unshare, for making and entering a network namespace on one thread.</summary>
internal static partial class Libc
{
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(SafeFd fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);
}
