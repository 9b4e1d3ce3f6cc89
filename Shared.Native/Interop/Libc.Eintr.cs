using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>The one test behind every retry of a call a signal interrupted.</summary>
internal static partial class Libc
{
    /// <summary>
    /// Whether the call that returned <paramref name="result"/> (-1 with errno on failure) failed only because a
    /// signal came before it did anything (EINTR), and is to be made again: <c>do r = call(); while (Interrupted(r));</c>.
    /// </summary>
    public static bool Interrupted(long result) => result < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR;
}
