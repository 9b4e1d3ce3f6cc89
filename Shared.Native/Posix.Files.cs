using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>What a path is and who owns it: lstat and chown.</summary>
public static partial class Posix
{
    /// <summary>Whether the path itself (not what a link points to) is a unix socket.</summary>
    public static bool IsSocket(string path) => TypeOf(path) == FileType.Socket;

    public enum FileType { Missing, Regular, Directory, Symlink, Socket, Other }

    /// <summary>What the path itself is, without following a final symlink (lstat).</summary>
    public static unsafe FileType TypeOf(string path)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        if (Libc.lstat_raw(path, buffer) != 0)
        {
            var e = NativeException.Last("lstat", path);
            return e.Errno is Errno.ENOENT or Errno.ENOTDIR ? FileType.Missing : throw e;
        }
        return (*(uint*)(buffer + Libc.StatModeOffset) & Libc.S_IFMT) switch
        {
            Libc.S_IFREG => FileType.Regular,
            Libc.S_IFDIR => FileType.Directory,
            Libc.S_IFLNK => FileType.Symlink,
            Libc.S_IFSOCK => FileType.Socket,
            _ => FileType.Other,
        };
    }

    /// <summary>The uid that owns the path itself (lstat), or null when it does not exist.</summary>
    public static unsafe uint? OwnerOf(string path)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        if (Libc.lstat_raw(path, buffer) == 0) return *(uint*)(buffer + Libc.StatUidOffset);
        var e = NativeException.Last("lstat", path);
        return e.Errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw e;
    }

    /// <summary>chown(2); -1 leaves that id unchanged.</summary>
    public static void Chown(string path, int uid, int gid) =>
        NativeException.Check(Libc.chown(path, uid, gid), "chown", path);
}
