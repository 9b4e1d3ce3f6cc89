using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>
/// A container running in the background whose command waits for its stdin to close: the test reads its output
/// until a line says it got somewhere, checks the container from outside, then ends it. Dispose ends it too,
/// and if it will not end, kills the launcher by PID and removes what that leaves (its cgroup, its run
/// directory), so a failed test leaves nothing behind.
/// </summary>
internal sealed class RunningContainer : IDisposable
{
    private readonly string id;

    public ChildProcess Process { get; }

    public string Stderr => Process.Stderr;

    private RunningContainer(string id, ChildProcess process)
    {
        this.id = id;
        Process = process;
    }

    /// <summary>containode OPTIONS -i ID COMMAND..., where the options come after the command here.</summary>
    public static RunningContainer Start(string id, string command, string flag, string script, params string[] options) =>
        new(id, ChildProcess.Start(Repo.Program("containode"), [.. options, "-i", id, command, flag, script], collect: true));

    /// <summary>Waits until stdout has a line <paramref name="line"/>, and returns stdout so far.</summary>
    public string WaitFor(string line, TimeSpan timeout)
    {
        Eventually.True(() => Process.Stdout.Split('\n').Contains(line) || Process.HasExited, $"'{line}' from the container", timeout);
        var stdout = Process.Stdout;
        return stdout.Split('\n').Contains(line) ? stdout : throw new InvalidOperationException($"the container ended first ({Process.ExitCode}): {stdout}{Stderr}");
    }

    /// <summary>Closes its stdin, so the command ends, and waits for containode.</summary>
    public void End()
    {
        Process.StandardInput.Close();
        if (!Process.WaitForExit(20_000)) throw new TimeoutException("the container did not end");
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.StandardInput.Close();
            if (!Process.WaitForExit(10_000))
            {
                Process.Kill();
                Containers.RemoveLeftovers(id);
            }
        }
        Process.Dispose();
    }
}
