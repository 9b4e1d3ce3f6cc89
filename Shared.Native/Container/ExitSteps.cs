using System.Globalization;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A container's clean-up, described once (shim/steps.c executes it): containet-wait runs it after the
/// container's first process ended when a launcher hands its waiting over (<see cref="ContainerProcess.HandOff"/>),
/// and a launcher that fails before that runs the same steps itself (<see cref="Run"/>). The fds the steps use
/// (and any lock that must hold until then) stay open until they have run. The steps that need no fd and say
/// nothing can be saved (<see cref="Saved"/>), for whoever cleans up after a monitor that was killed.
/// </summary>
public sealed unsafe class ExitSteps
{
    private readonly List<string[]> steps = [];
    private readonly List<SafeFd> kept = [];

    public IReadOnlyList<string> Arguments => [.. steps.SelectMany(s => s)];
    internal IReadOnlyList<SafeFd> Kept => kept;

    /// <summary>The steps as saved by <see cref="Saved"/>.</summary>
    public static ExitSteps FromSaved(IReadOnlyList<string> saved)
    {
        var result = new ExitSteps();
        for (var i = 0; i + 1 < saved.Count; i += 2)
            if (saved[i] is "--empty" or "--remove" or "--rmdir" or "--unlink") result.steps.Add([saved[i], saved[i + 1]]);

        return result;
    }

    /// <summary>The steps that stand without this process: no fd to send on, nothing to say.</summary>
    public IReadOnlyList<string> Saved() => [.. steps.Where(s => s[0] is not ("--send" or "--say" or "--close" or "--oom")).SelectMany(s => s)];

    /// <summary>Writes <paramref name="request"/> to a connected socket and waits briefly for its reply.</summary>
    public void Send(SafeFd socket, string request)
    {
        kept.Add(socket);
        steps.Add(["--send", socket.Number.ToString(CultureInfo.InvariantCulture), request]);
    }

    /// <summary>Prints a line on stderr.</summary>
    public void Say(string line) => steps.Add(["--say", line]);

    /// <summary>Removes everything inside a directory and keeps the directory.</summary>
    public void Empty(string directory) => steps.Add(["--empty", directory]);

    /// <summary>Removes a directory and everything inside it.</summary>
    public void Remove(string directory) => steps.Add(["--remove", directory]);

    /// <summary>
    /// Removes a cgroup directory, retrying while the kernel still counts the container's last processes in it
    /// (EBUSY) for up to about 2 s.
    /// </summary>
    public void RemoveCgroup(string directory) => steps.Add(["--rmdir", directory]);

    /// <summary>Removes a file (a name's symlink).</summary>
    public void Unlink(string file) => steps.Add(["--unlink", file]);

    /// <summary>Keeps an fd (a lock) open until this point of the clean-up, and closes it there.</summary>
    public void Release(SafeFd fd)
    {
        kept.Add(fd);
        steps.Add(["--close", fd.Number.ToString(CultureInfo.InvariantCulture)]);
    }

    /// <summary>
    /// Runs the steps here and now, after the container's first process ended with <paramref name="status"/> (-1:
    /// it never ran), then closes the kept fds. An fd is closed by its handle, never by number.
    /// </summary>
    public void Run(int status = -1)
    {
        try
        {
            foreach (var step in steps)
            {
                if (step[0] == "--close")
                {
                    kept.Find(fd => fd.Number.ToString(CultureInfo.InvariantCulture) == step[1])?.Dispose();
                    continue;
                }
                var argv = NativeStrings.Array(step);
                try { _ = Shim.RunSteps(status, step.Length, argv); } // how many steps it did not know: ExitSteps writes only known ones
                finally { NativeStrings.Free(argv); }
            }
        }
        finally
        {
            foreach (var fd in kept) fd.Dispose();
        }
    }

    /// <summary>
    /// Prints <paramref name="message"/> on stderr when the container's first process was killed by SIGKILL and
    /// <paramref name="eventsFile"/> (a cgroup's memory.events or memory.oom_control) counts an OOM kill
    /// ("oom_kill N", N above 0): the kernel's OOM killer did it; then creates <paramref name="markFile"/>, if
    /// given, so that the verdict outlives the cgroup. Must come before the cgroup's removal.
    /// </summary>
    public void ReportOom(string eventsFile, string message, string? markFile) => steps.Add(["--oom", eventsFile, message, markFile ?? ""]);
}
