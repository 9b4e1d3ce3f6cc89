using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>
/// sys/mount.h calls: the switch's pins of network namespaces, and detached mounts (fsopen, fsmount) a parent
/// makes for the container plan to attach (the plan's own mounts happen in the shim).
/// </summary>
internal static partial class Libc
{
    public const int MNT_DETACH = 2;
    public const uint FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1, FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_CMD_CREATE = 6;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fsopen(string fsName, uint flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fsconfig(SafeFd fd, uint cmd, string? key, string? value, int aux);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsmount(SafeFd fd, uint flags, uint attrFlags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string? fstype, ulong flags, nint data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);
}
