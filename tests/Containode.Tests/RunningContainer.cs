using System.Diagnostics;
using System.Text;
using Containet.Native;

namespace Containode.Tests;

/// <summary>
/// A container running in the background whose command waits for its stdin to close: the test reads its output
/// until a line says it got somewhere, checks the container from outside, then ends it. Dispose ends it too,
/// and if it will not end, kills the launcher by PID and removes what that leaves (its cgroup, its run
/// directory), so a failed test leaves nothing behind.
/// </summary>
internal sealed class RunningContainer : IDisposable
{
    private readonly StringBuilder stdout = new(), stderr = new();
    private readonly string id;

    public Process Process { get; }

    public string Stderr { get { lock (stderr) return stderr.ToString(); } }

    private RunningContainer(string id, Process process)
    {
        this.id = id;
        Process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>containode OPTIONS -i ID COMMAND..., where the options come after the command here.</summary>
    public static RunningContainer Start(string id, string command, string flag, string script, params string[] options) =>
        new(id, Containers.Start([.. options, "-i", id, command, flag, script]));

    /// <summary>Waits until stdout has a line <paramref name="line"/>, and returns stdout so far.</summary>
    public string WaitFor(string line, TimeSpan timeout)
    {
        string Out() { lock (stdout) return stdout.ToString(); }
        Containet.TestSupport.Eventually.True(() => Out().Split('\n').Contains(line) || Process.HasExited, $"'{line}' from the container", timeout);
        return Out().Split('\n').Contains(line) ? Out() : throw new InvalidOperationException($"the container ended first ({Process.ExitCode}): {Out()}{Stderr}");
    }

    /// <summary>Closes its stdin, so the command ends, and waits for containode.</summary>
    public void End()
    {
        Process.StandardInput.Close();
        if (!Process.WaitForExit(20_000)) throw new TimeoutException("the container did not end");
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.StandardInput.Close();
            if (!Process.WaitForExit(10_000))
            {
                Posix.Kill(Process.Id, Signal.Kill);
                Process.WaitForExit();
                Containers.RemoveLeftovers(id);
            }
        }
        Process.Dispose();
    }
}
