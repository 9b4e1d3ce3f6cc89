using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>The calling process: who it runs as, and the signals it sends.</summary>
public static partial class Posix
{
    public static uint EffectiveUid => Libc.geteuid();

    public static uint EffectiveGid => Libc.getegid();

    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>kill(2): sends a signal to one process.</summary>
    public static void Kill(int pid, int signal) =>
        NativeException.Check(Libc.kill(pid, signal), "kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
