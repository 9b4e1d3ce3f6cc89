using System.Globalization;

namespace Containet.Native;

/// <summary>
/// What containet-wait does besides waiting and cleaning up (shim/wait.c): record the status in a file, keep the
/// container's output in a log of bounded size, relay its terminal, and hand the status on to a program (the
/// launcher, deciding on a restart).
/// </summary>
public sealed record MonitorOptions
{
    public string? StatusFile { get; init; }

    /// <summary>The log file, its size cap, and the read ends of the container's stdout and stderr pipes (a terminal's master and none).</summary>
    public (string File, long MaxBytes, SafeFd Stdout, SafeFd? Stderr)? Log { get; init; }

    /// <summary>A terminal's master to relay to stdout, and stdin to it when <c>Input</c>.</summary>
    public (SafeFd Master, bool Input)? Pty { get; init; }

    /// <summary>A program and its arguments to exec once the steps ran, with the status as its last argument.</summary>
    public IReadOnlyList<string>? Then { get; init; }

    /// <summary>More fds to keep open across the exec (the write end of a detached -i container's stdin).</summary>
    public IReadOnlyList<SafeFd> Keep { get; init; } = [];

    internal IEnumerable<string> Arguments()
    {
        if (StatusFile is not null) yield return "--status";
        if (StatusFile is not null) yield return StatusFile;
        if (Log is { } log)
            foreach (var a in (string[])["--log", log.File, Text(log.MaxBytes), Text(log.Stdout.Number), Text(log.Stderr?.Number ?? -1)])
                yield return a;
        if (Pty is { } pty)
            foreach (var a in (string[])["--pty", Text(pty.Master.Number), pty.Input ? "1" : "0"])
                yield return a;
        if (Then is { Count: > 0 } then)
        {
            yield return "--then";
            yield return Text(then.Count);
            foreach (var a in then) yield return a;
        }
    }

    internal IEnumerable<SafeFd> Fds()
    {
        SafeFd?[] fds = [Log?.Stdout, Log?.Stderr, Pty?.Master, .. Keep];
        return fds.OfType<SafeFd>();
    }

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
