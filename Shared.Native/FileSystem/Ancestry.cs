using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// Whether one host directory lies inside another, asked of the kernel rather than of the path strings: the
/// walk goes up through ".." from what the path names (symlinks and bind mounts followed as the kernel follows
/// them) and compares device and inode numbers, so "/a/b/../c", a symlink or a second mount of a directory
/// cannot hide that it is inside.
/// </summary>
public static unsafe class Ancestry
{
    /// <summary>
    /// True when <paramref name="path"/>, or the deepest part of it that exists, is <paramref name="directory"/> or
    /// below it. A missing <paramref name="directory"/> contains nothing.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the fd moves up the tree: each step disposes the one before, and every way out disposes the last")]
    public static bool IsWithin(string path, string directory)
    {
        var target = Identify(directory);
        if (target is null) return false;
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        var fd = SafeFd.Check(Libc.open(existing, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), "open", existing);
        for (var depth = 0; depth < 4096; depth++)
        {
            var here = Identify(fd, existing);
            if (here == target)
            {
                fd.Dispose();
                return true;
            }
            var parent = SafeFd.Check(Libc.openat(fd, "..", Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), "open", existing + "/..");
            fd.Dispose();
            fd = parent;
            if (Identify(fd, existing) == here) break; // "/" is its own parent
        }
        fd.Dispose();
        return false;
    }

    private static (ulong Device, ulong Inode)? Identify(string directory)
    {
        var raw = Libc.open(directory, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (raw < 0) return null;
        using var fd = new SafeFd(raw);
        return Identify(fd, directory);
    }

    /// <summary>The device and inode numbers of what <paramref name="fd"/> refers to.</summary>
    internal static (ulong Device, ulong Inode) Identify(SafeFd fd, string what)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        NativeException.Check(Libc.fstat(fd, buffer), "fstat", what);
        return (*(ulong*)(buffer + Libc.StatDevOffset), *(ulong*)(buffer + Libc.StatInoOffset));
    }
}
