using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Process identity and file ownership calls the programs need.</summary>
public static class Posix
{
    public static uint EffectiveUid => Libc.geteuid();

    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>Whether the path itself (not what a link points to) is a unix socket.</summary>
    public static unsafe bool IsSocket(string path)
    {
        var buffer = stackalloc byte[Libc.StatSize];
        NativeException.Check(Libc.lstat_raw(path, buffer), "lstat", path);
        return (*(uint*)(buffer + Libc.StatModeOffset) & Libc.S_IFMT) == Libc.S_IFSOCK;
    }

    /// <summary>kill(2): sends a signal to one process.</summary>
    public static void Kill(int pid, int signal) =>
        NativeException.Check(Libc.kill(pid, signal), "kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>chown(2); -1 leaves that id unchanged.</summary>
    public static void Chown(string path, int uid, int gid) =>
        NativeException.Check(Libc.chown(path, uid, gid), "chown", path);
}
