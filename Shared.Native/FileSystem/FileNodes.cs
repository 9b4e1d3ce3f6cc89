using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// What .NET's file APIs cannot do: owners without following links, device nodes, FIFOs, hard links, link times,
/// and directories with their errno.
/// </summary>
public static unsafe class FileNodes
{
    public enum Kind { CharDevice, BlockDevice, Fifo }

    public static void Lchown(string path, int uid, int gid) =>
        NativeException.Check(Libc.lchown(path, uid, gid), "lchown", path);

    public static void MakeNode(string path, Kind kind, uint permissions, uint major = 0, uint minor = 0)
    {
        var dev = kind == Kind.Fifo ? 0 : Libc.makedev(major, minor);
        NativeException.Check(Libc.mknod(path, TypeBits(kind) | (permissions & 0xfff), dev), "mknod", path);
    }

    /// <summary>The S_IF* bits of a node kind, as mknod(2) takes them.</summary>
    public static uint TypeBits(Kind kind) => kind switch { Kind.CharDevice => Libc.S_IFCHR, Kind.BlockDevice => Libc.S_IFBLK, _ => Libc.S_IFIFO };

    /// <summary>What device a path names (following symlinks, as `docker run --device` does); null if it is no device.</summary>
    public static (Kind Kind, uint Major, uint Minor)? DeviceOf(string path)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        NativeException.Check(Libc.stat_raw(path, buffer), "stat", path);
        var mode = *(uint*)(buffer + Libc.StatModeOffset) & Libc.S_IFMT;
        var rdev = *(ulong*)(buffer + Libc.StatRdevOffset);
        Kind? kind = mode == Libc.S_IFCHR ? Kind.CharDevice : mode == Libc.S_IFBLK ? Kind.BlockDevice : null;
        return kind is { } k ? (k, Libc.major(rdev), Libc.minor(rdev)) : null;
    }

    /// <summary>mkdir(2): unlike Directory.CreateDirectory, a directory that exists already is an error (EEXIST).</summary>
    public static void MakeDirectory(string path, uint permissions) =>
        NativeException.Check(Libc.mkdir(path, permissions & 0xfff), "mkdir", path);

    /// <summary>mkdir(2), false when the path exists already: for a folder that is usually there, without an exception's unwind.</summary>
    public static bool MakeDirectoryIfMissing(string path, uint permissions)
    {
        if (Libc.mkdir(path, permissions & 0xfff) == 0) return true;
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == Errno.EEXIST ? false : throw new NativeException(errno, "mkdir", path);
    }

    /// <summary>
    /// mkdir -p, in one mkdir(2) when the parent exists (a start's run and TOP folders, under folders made by the
    /// first start): Directory.CreateDirectory looks at the path and its parents first, at each start.
    /// </summary>
    public static void MakeDirectories(string path, uint permissions)
    {
        if (Libc.mkdir(path, permissions & 0xfff) == 0) return;
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno == Errno.EEXIST) return;
        if (errno != Errno.ENOENT) throw new NativeException(errno, "mkdir", path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        MakeDirectoryIfMissing(path, permissions);
    }

    /// <summary>mkdirat(2): a directory under an open one (a detached mount's root, say).</summary>
    public static void MakeDirectoryAt(SafeFd directory, string name, uint permissions) =>
        NativeException.Check(Libc.mkdirat(directory, name, permissions & 0xfff), "mkdirat", name);

    /// <summary>rmdir(2): removes an empty directory, or a cgroup without processes or children.</summary>
    public static void RemoveDirectory(string path) => NativeException.Check(Libc.rmdir(path), "rmdir", path);

    /// <summary>A directory's fd (O_RDONLY | O_DIRECTORY), the handle the kernel takes for a cgroup.</summary>
    public static SafeFd OpenDirectory(string path) =>
        SafeFd.Check(Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), "open", path);

    public static void HardLink(string existing, string newPath) =>
        NativeException.Check(Libc.link(existing, newPath), "link", $"{newPath} to {existing}");

    /// <summary>Sets access and modification time to <paramref name="time"/>, on a symlink itself rather than its target.</summary>
    public static void SetTime(string path, DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var ts = stackalloc Libc.Timespec[2];
        ts[0] = ts[1] = new Libc.Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        NativeException.Check(Libc.utimensat(Libc.AT_FDCWD, path, ts, Libc.AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    private const uint FsIocGetFlags = 0x80086601, FsIocSetFlags = 0x40086602, FsTopDirFlag = 0x00020000;

    /// <summary>
    /// Marks a directory as the top of unrelated directory trees (ext4's FS_TOPDIR_FL, `chattr +T`), so the
    /// allocator spreads each new subdirectory to a lightly used block group instead of packing it beside its
    /// siblings. False where the filesystem has no such flag; it is only a placement hint.
    /// </summary>
    public static bool MarkTopDirectory(string path)
    {
        var raw = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (raw < 0) return false;
        using var fd = new SafeFd(raw);
        int flags;
        if (Libc.ioctl(fd, FsIocGetFlags, &flags) != 0) return false;
        if ((flags & FsTopDirFlag) != 0) return true;
        flags |= (int)FsTopDirFlag;
        return Libc.ioctl(fd, FsIocSetFlags, &flags) == 0;
    }
}
