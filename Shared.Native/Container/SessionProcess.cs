using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>A program started in a session of its own (setsid), with no terminal: a detached container's monitor.</summary>
public static unsafe class SessionProcess
{
    /// <summary>
    /// Starts <paramref name="argv"/>[0] with stdio on /dev/null and <paramref name="report"/> as its fd 3, the
    /// environment inherited. Returns its PID; it is not waited for.
    /// </summary>
    public static int Start(IReadOnlyList<string> argv, SafeFd report)
    {
        var native = NativeStrings.Array(argv);
        try
        {
            var pid = Shim.SpawnSession(argv[0], native, report.Number);
            return pid < 0 ? throw new NativeException(-pid, "posix_spawn", argv[0]) : pid;
        }
        finally
        {
            NativeStrings.Free(native);
        }
    }

    /// <summary>A pipe (read end, write end), both close-on-exec.</summary>
    public static (SafeFd Read, SafeFd Write) Pipe()
    {
        int* fds = stackalloc int[2];
        NativeException.Check(Libc.pipe2(fds, Libc.O_CLOEXEC), "pipe2");
        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }
}
