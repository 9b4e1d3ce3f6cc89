using Containet.Native;

namespace Containode;

/// <summary>
/// A detached container's stdio: its stdout and stderr are pipes the monitor copies into the log, its stdin
/// /dev/null, or with -i a pipe the monitor keeps open (reads wait instead of ending). Set as the launcher's fds
/// 0-2 before the clone, so the container inherits them; <see cref="Detach"/> takes them back from the launcher
/// once the command runs, so that only the container holds the pipes' write ends and they end with it.
/// </summary>
public sealed class DetachedStreams : IDisposable
{
    public required SafeFd Stdout { get; init; }
    public required SafeFd Stderr { get; init; }
    public SafeFd? Input { get; init; }

    public static DetachedStreams Open(bool interactive)
    {
        var (outRead, outWrite) = ChildProgram.Pipe();
        var (errRead, errWrite) = ChildProgram.Pipe();
        SafeFd? input = null;
        using (outWrite)
        using (errWrite)
        {
            Posix.Redirect(outWrite, 1);
            Posix.Redirect(errWrite, 2);
        }
        if (interactive)
        {
            var (inRead, inWrite) = ChildProgram.Pipe();
            using (inRead) Posix.Redirect(inRead, 0);
            input = inWrite;
        }
        return new DetachedStreams { Stdout = outRead, Stderr = errRead, Input = input };
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "detaching belongs to the streams this instance opened")]
    public void Detach() => StandardStreams.ToNull(0, 1, 2);

    public void Dispose()
    {
        Stdout.Dispose();
        Stderr.Dispose();
        Input?.Dispose();
    }
}
