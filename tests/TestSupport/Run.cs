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
        using var p = ChildProcess.Start(file, args, collect: true, env);
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.KillTree();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time\n{p.Stdout}\n{p.Stderr}");
        }
        return new RunResult(p.ExitCode, p.Stdout, p.Stderr);
    }

    public static RunResult Command(string file, params string[] args) => Command(file, (IEnumerable<string>)args);

    /// <summary>Runs a shell line; convenient for `ip netns exec` and friends.</summary>
    public static RunResult Shell(string line, TimeSpan? timeout = null) => Command("/bin/sh", ["-c", line], timeout);
}
