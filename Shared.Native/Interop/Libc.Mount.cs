using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/mount.h calls, for the switch's pins of network namespaces (the container plan mounts in the shim).</summary>
internal static partial class Libc
{
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string? fstype, ulong flags, nint data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);
}
