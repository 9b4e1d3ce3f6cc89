using System.Runtime.InteropServices;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Process identity and file ownership calls the programs need.</summary>
public static class Posix
{
    public static uint EffectiveUid => Libc.geteuid();

    public static uint EffectiveGid => Libc.getegid();

    public static bool IsRoot => Libc.geteuid() == 0;

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
            0x8000 => FileType.Regular,
            0x4000 => FileType.Directory,
            0xA000 => FileType.Symlink,
            Libc.S_IFSOCK => FileType.Socket,
            _ => FileType.Other,
        };
    }

    /// <summary>Makes fd <paramref name="target"/> (0, 1 or 2: what a child inherits) a copy of <paramref name="source"/>.</summary>
    public static void Redirect(SafeFd source, int target) => NativeException.Check(Libc.dup3(source.Number, target, 0), "dup3");

    public static SafeFd OpenNull() => SafeFd.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", "/dev/null");

    /// <summary>The uid that owns the path itself (lstat), or null when it does not exist.</summary>
    public static unsafe uint? OwnerOf(string path)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        if (Libc.lstat_raw(path, buffer) == 0) return *(uint*)(buffer + Libc.StatUidOffset);
        var e = NativeException.Last("lstat", path);
        return e.Errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw e;
    }

    /// <summary>kill(2): sends a signal to one process.</summary>
    public static void Kill(int pid, int signal) =>
        NativeException.Check(Libc.kill(pid, signal), "kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Takes an exclusive flock on a file (created if missing); null if another process holds it. The lock
    /// goes with the fd, so it is released however the holder dies.
    /// </summary>
    public static SafeFd? TryLock(string path)
    {
        var fd = SafeFd.Check(Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x1a4 /* 0644 */), "open", path);
        if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0) return fd;
        var e = NativeException.Last("flock", path);
        fd.Dispose();
        return e.Errno == Errno.EAGAIN ? null : throw e;
    }

    /// <summary>Waits for an exclusive flock on a file (created if missing); dispose the handle to release it.</summary>
    public static SafeFd Lock(string path)
    {
        var fd = SafeFd.Check(Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x1a4 /* 0644 */), "open", path);
        while (Libc.flock(fd, Libc.LOCK_EX) != 0)
        {
            var e = NativeException.Last("flock", path);
            if (e.Errno == Errno.EINTR) continue;
            fd.Dispose();
            throw e;
        }
        return fd;
    }

    /// <summary>
    /// Writes a line to stderr with write(2). Console's first use costs milliseconds of start-up, which a
    /// launcher that runs once per container, or a pull of a small image, cannot spare.
    /// </summary>
    public static void WriteError(string line) => WriteLine(2, line);

    /// <summary>Writes a line to stdout with write(2), for the same reason as <see cref="WriteError"/>.</summary>
    public static void WriteOutput(string line) => WriteLine(1, line);

    private static unsafe void WriteLine(int fd, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        fixed (byte* p = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Libc.write_raw(fd, p + done, (nuint)(bytes.Length - done));
                if (n > 0) done += (int)n;
                else if (n < 0 && Marshal.GetLastPInvokeError() == (int)Errno.EINTR) continue;
                else return; // a closed stream: there is nobody left to tell
            }
        }
    }

    /// <summary>
    /// Fills the buffer from the kernel's random source (getrandom), for secrets such as tokens: cheaper to start
    /// than the crypto stack, and unlike <see cref="Random"/> its output says nothing about what comes next.
    /// </summary>
    public static unsafe void FillRandom(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            for (var done = 0; done < buffer.Length;)
            {
                var n = Libc.getrandom(p + done, (nuint)(buffer.Length - done), 0);
                if (n > 0) done += (int)n;
                else if (n < 0 && Marshal.GetLastPInvokeError() != (int)Errno.EINTR) throw NativeException.Last("getrandom");
            }
        }
    }

    /// <summary>chown(2); -1 leaves that id unchanged.</summary>
    public static void Chown(string path, int uid, int gid) =>
        NativeException.Check(Libc.chown(path, uid, gid), "chown", path);

    /// <summary>Replaces this process with the program at <paramref name="path"/> (execv); returns only by throwing.</summary>
    public static unsafe void Exec(string path, IReadOnlyList<string> argv)
    {
        var array = NativeStrings.Array(argv);
        try
        {
            Libc.execv(path, array);
            throw NativeException.Last("execv", path);
        }
        finally { NativeStrings.Free(array); }
    }
}
