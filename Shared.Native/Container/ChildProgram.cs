using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Programs a launcher starts: a detached container's monitor, in a session of its own; a helper, in the foreground.</summary>
public static unsafe class ChildProgram
{
    /// <summary>
    /// Starts <paramref name="argv"/>[0] in a session of its own, with stdio on /dev/null and <paramref name="report"/>
    /// as its fd 3, the environment inherited. The program forks and its first process exits at once (containode
    /// __monitor does, before its runtime starts): that one is reaped here, and what runs on is not this process's child.
    /// </summary>
    public static void StartInSession(IReadOnlyList<string> argv, SafeFd report)
    {
        var native = NativeStrings.Array(argv);
        try
        {
            var status = Shim.SpawnSession(argv[0], native, report.Number);
            if (status < 0) throw new NativeException(-status, "posix_spawn", argv[0]);
        }
        finally
        {
            NativeStrings.Free(native);
        }
    }

    /// <summary>
    /// Runs a program in the foreground with this process's stdio (its stdout on stderr if asked) and waits for it;
    /// returns its status as a shell reports it.
    /// </summary>
    public static int RunProgram(IReadOnlyList<string> argv, bool stdoutToStderr)
    {
        var native = NativeStrings.Array(argv);
        try
        {
            var status = Shim.RunProgram(argv[0], native, stdoutToStderr ? 1 : 0);
            return status < 0 ? throw new NativeException(-status, "posix_spawn", argv[0]) : status;
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
