using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Exclusive flocks on files, which go with the fd and so are released however the holder dies.</summary>
public static partial class Posix
{
    /// <summary>
    /// Takes an exclusive flock on a file (created if missing); null if another process holds it. The lock
    /// goes with the fd, so it is released however the holder dies.
    /// </summary>
    public static SafeFd? TryLock(string path)
    {
        var fd = SafeFd.Check(Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, (int)Mode.O644), "open", path);
        if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0) return fd;
        var e = NativeException.Last("flock", path);
        fd.Dispose();
        return e.Errno == Errno.EAGAIN ? null : throw e;
    }

    /// <summary>Waits for an exclusive flock on a file (created if missing); dispose the handle to release it.</summary>
    public static SafeFd Lock(string path)
    {
        var fd = SafeFd.Check(Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, (int)Mode.O644), "open", path);
        int r;
        do r = Libc.flock(fd, Libc.LOCK_EX); while (Libc.Interrupted(r));
        if (r == 0) return fd;
        var e = NativeException.Last("flock", path);
        fd.Dispose();
        throw e;
    }
}
