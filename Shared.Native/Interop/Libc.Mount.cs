using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>
/// sys/mount.h calls: the switch's pins of network namespaces, idmapped trees for containers in a user namespace,
/// and new filesystems made detached for a container to attach (a sysfs, a writable layer's ext4).
/// </summary>
internal static unsafe partial class Libc
{
    public const int MNT_DETACH = 2;
    public const uint OPEN_TREE_CLONE = 1;
    public const int AT_EMPTY_PATH = 0x1000;
    public const ulong MOUNT_ATTR_IDMAP = 0x00100000;
    public const uint MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4, MOUNT_ATTR_NOEXEC = 8;
    public const uint FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1, FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_CMD_CREATE = 6;

    // The new mount API has the same numbers on every architecture (the table unified at 403).
    public const long SYS_open_tree = 428, SYS_fsopen = 430, SYS_fsconfig = 431, SYS_fsmount = 432, SYS_mount_setattr = 442;

    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string? fstype, ulong flags, nint data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall_open_tree(long number, int dirfd, string path, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall_fsopen(long number, string fsname, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_fsconfig(long number, SafeFd fd, uint cmd, nint key, nint value, int aux);

    /// <summary>fsconfig's FSCONFIG_SET_FLAG and FSCONFIG_SET_STRING: a key, and for a string its value.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall_fsconfig_set(long number, SafeFd fd, uint cmd, string key, string? value, int aux);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_fsmount(long number, SafeFd fd, uint flags, uint attributes);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall_mount_setattr(long number, SafeFd fd, string path, uint flags, MountAttr* attr, nuint size);
}
