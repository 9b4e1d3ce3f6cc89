using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>sys/stat.h, just enough to tell what kind of file a path is; the S_IF* kinds, all here, are what mknod takes too.</summary>
internal static unsafe partial class Libc
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000,
        S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000;

    // struct stat is 144 bytes on x86-64 and aarch64; st_mode sits at 24 on x86-64 and 16 on aarch64.
    public const int StatSize = 144;
    public static int StatModeOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
    public const int StatDevOffset = 0, StatInoOffset = 8;
    public static int StatRdevOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 40 : 32;
    public static int StatUidOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 28 : 24;

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lstat_raw(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stat_raw(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "gnu_dev_major")]
    public static partial uint major(ulong dev);

    [LibraryImport("libc", EntryPoint = "gnu_dev_minor")]
    public static partial uint minor(ulong dev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fstat(SafeFd fd, byte* buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(SafeFd dirfd, string path, int flags, int mode);
}
