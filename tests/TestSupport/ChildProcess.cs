using System.Diagnostics;
using System.Text;
using Containet.Native;

namespace Containet.TestSupport;

/// <summary>
/// A program a test starts and talks to while it runs, its stdin, stdout and stderr piped to the test. Dispose
/// ends it however the test went: SIGTERM by PID, SIGKILL when it has not ended after the grace period, and it
/// is reaped either way, so a failed assertion never leaves it (or the container it launched) running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly StringBuilder? stdout, stderr;

    private ChildProcess(Process process, bool collect)
    {
        this.process = process;
        if (!collect) return;
        stdout = new StringBuilder();
        stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// Starts <paramref name="file"/>. With <paramref name="collect"/> its output is read in the background into
    /// <see cref="Stdout"/> and <see cref="Stderr"/>; without, the test reads <see cref="StandardOutput"/> and
    /// <see cref="StandardError"/> itself.
    /// </summary>
    public static ChildProcess Start(string file, IEnumerable<string> args, bool collect = false, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // A .NET child (the switch) would make its diagnostics pipes in /tmp, which stay there when a test kills it.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return new ChildProcess(Process.Start(psi)!, collect);
    }

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;
    public StreamWriter StandardInput => process.StandardInput;
    public StreamReader StandardOutput => process.StandardOutput;
    public StreamReader StandardError => process.StandardError;

    /// <summary>What it wrote on stdout so far (with collect).</summary>
    public string Stdout { get { lock (stdout!) return stdout.ToString(); } }

    /// <summary>What it wrote on stderr so far (with collect).</summary>
    public string Stderr { get { lock (stderr!) return stderr.ToString(); } }

    /// <summary>Whether it ended in time; when it did, all its collected output is in.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit();
        return true;
    }

    public bool WaitForExit(int milliseconds) => WaitForExit(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Sends a signal by PID, unless it has ended.</summary>
    public void Signal(Signal signal)
    {
        if (process.HasExited) return;
        try { Posix.Kill(process.Id, signal); }
        catch (NativeException e) when (e.Errno == Errno.ESRCH) { }
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would end it, and waits until it is reaped.</summary>
    public void Kill()
    {
        Signal(Native.Signal.Kill);
        process.WaitForExit();
    }

    /// <summary>SIGKILL to it and to every process under it (a command that overran), and waits until it is reaped.</summary>
    public void KillTree()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGTERM, then SIGKILL if it runs on after <paramref name="grace"/> (10 s); its exit code.</summary>
    public int Stop(TimeSpan? grace = null)
    {
        Signal(Native.Signal.Term);
        if (!WaitForExit(grace ?? DefaultGrace)) Kill();
        return process.ExitCode;
    }

    public void Dispose()
    {
        try { Stop(); }
        finally { process.Dispose(); }
    }
}
