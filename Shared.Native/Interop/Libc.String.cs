using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>string.h: the C library's own names for errno values (glibc 2.32 and later).</summary>
internal static partial class Libc
{
    /// <summary>"ENETUNREACH" for 101; NULL for a number the C library does not know.</summary>
    [LibraryImport("libc")]
    public static partial nint strerrorname_np(int errnum);
}
