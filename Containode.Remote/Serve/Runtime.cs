using System.Diagnostics;

namespace Containode.Remote.Serve;

/// <summary>What a containode command said: its status, and its last line on stderr (its error, for the client).</summary>
public sealed record RuntimeResult(int Status, string Output, string Error);

/// <summary>
/// The node's runtime, as the server uses it: the containode program beside this one, run with an argv (never
/// a shell) for every change to a container, so a job is made, started, stopped and removed exactly as a local
/// user's container is, and runs under its own monitor, not under the server. Jobs keep their whole output from
/// the first byte, up to <see cref="MaxLogBytes"/> per log file.
/// </summary>
public sealed class Runtime(string program)
{
    public const long MaxLogBytes = 1L << 30;
    private const int MaxReport = 4096;

    public static Runtime Beside() =>
        new(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "containode", "containode")));

    public async Task<RuntimeResult> Run(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancel = default)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The runtime acts on this node: a remote host in the server's own environment must not send it elsewhere.
        start.Environment.Remove("CONTAINODE_HOST");
        start.Environment.Remove(Containode.Cli.RemoteHandOff.ServerGen0Variable);
        start.Environment["CONTAINET_LOG_MAX_BYTES"] = MaxLogBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        process.StandardInput.Close();
        var output = Bounded(process.StandardOutput);
        var error = Bounded(process.StandardError);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"containode {args[0]} did not finish in {timeout.TotalSeconds:0} s");
        }
        return new RuntimeResult(process.ExitCode, (await output).Trim(), LastLine(await error));
    }

    /// <summary>The last <see cref="MaxReport"/> characters of what a stream says (an image pull's progress can be long).</summary>
    private static async Task<string> Bounded(StreamReader reader)
    {
        var kept = new System.Text.StringBuilder();
        var buffer = new char[MaxReport];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            kept.Append(buffer, 0, n);
            if (kept.Length > 2 * MaxReport) kept.Remove(0, kept.Length - MaxReport);
        }
        return kept.ToString();
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.Length > 0 ? lines[^1] : "";
        return last.StartsWith("containode: ", StringComparison.Ordinal) ? last["containode: ".Length..] : last;
    }
}
