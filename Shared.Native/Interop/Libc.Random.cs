using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/random.h.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial nint getrandom(byte* buf, nuint buflen, uint flags);
}
