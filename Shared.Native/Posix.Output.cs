using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Lines to stdout and stderr through write(2), and the standard fds a child inherits.</summary>
public static partial class Posix
{
    /// <summary>Makes fd <paramref name="target"/> (0, 1 or 2: what a child inherits) a copy of <paramref name="source"/>.</summary>
    public static void Redirect(SafeFd source, int target) => NativeException.Check(Libc.dup3(source.Number, target, 0), "dup3");

    public static SafeFd OpenNull() => SafeFd.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", "/dev/null");

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
                nint n;
                do n = Libc.write_raw(fd, p + done, (nuint)(bytes.Length - done)); while (Libc.Interrupted(n));
                if (n <= 0) return; // a closed stream: there is nobody left to tell
                done += (int)n;
            }
        }
    }
}
