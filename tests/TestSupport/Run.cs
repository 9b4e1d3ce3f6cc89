using System.Diagnostics;
using System.Text;

namespace Containet.TestSupport;

/// <summary>The result of a finished command.</summary>
public sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    public RunResult EnsureSuccess()
    {
        if (ExitCode != 0)
            throw new InvalidOperationException($"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }
}

/// <summary>Runs commands with a deadline; a command that overruns is killed and the test fails.</summary>
public static class Run
{
    public static RunResult Command(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null,
        IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time\n{stdout}\n{stderr}");
        }
        p.WaitForExit();
        return new RunResult(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static RunResult Command(string file, params string[] args) => Command(file, (IEnumerable<string>)args);

    /// <summary>Runs a shell line; convenient for `ip netns exec` and friends.</summary>
    public static RunResult Shell(string line, TimeSpan? timeout = null) => Command("/bin/sh", ["-c", line], timeout);
}
