using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>The calling process: who it runs as, its environment, and the signals it sends.</summary>
public static partial class Posix
{
    public static uint EffectiveUid => Libc.geteuid();

    public static uint EffectiveGid => Libc.getegid();

    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>
    /// setenv(3): the process's own environment, as native code (OpenSSL) reads it. Environment.SetEnvironmentVariable
    /// keeps a managed copy that native code never sees.
    /// </summary>
    public static void SetEnvironment(string name, string value) => NativeException.Check(Libc.setenv(name, value, 1), "setenv", name);

    /// <summary>unsetenv(3): the variable gone from the process's own environment, as native code sees it.</summary>
    public static void UnsetEnvironment(string name) => NativeException.Check(Libc.unsetenv(name), "unsetenv", name);

    /// <summary>kill(2): sends a signal to one process.</summary>
    public static void Kill(int pid, Signal signal) =>
        NativeException.Check(Libc.kill(pid, (int)signal), "kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
