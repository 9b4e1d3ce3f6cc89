using Containet.Native;
using System.Diagnostics;

namespace Containode.Remote.Serve;

/// <summary>What a containode command said: its status, and its last line on stderr (its error, for the client).</summary>
public sealed record RuntimeResult(int Status, string Output, string Error);

/// <summary>
/// The node's runtime, as the server uses it: a job is made and started as `containode run -d` makes and starts a
/// container, here (the same options, parsed and checked by containode's own code), and runs under a monitor of its
/// own, a containode beside this program that is not the server's child. Every other change (stop, kill, rm) is
/// that containode, run with an argv (never a shell). Jobs keep their whole output from the first byte, up to
/// <see cref="MaxLogBytes"/> per log file.
/// </summary>
public sealed class Runtime(string program) : IDisposable
{
    public const long MaxLogBytes = 1L << 30;
    private const int MaxReport = 4096;

    /// <summary>The containode beside this program; this process's environment becomes what its children need.</summary>
    public static Runtime Beside()
    {
        // Both copies of the environment: the native one a monitor inherits, and .NET's, which Process.Start passes on.
        // The runtime acts on this node (a remote host must not send it elsewhere), keeps a job's output whole, and
        // goes without the server's gen0 setting.
        foreach (var (name, value) in new (string, string?)[]
        {
            ("CONTAINODE_HOST", null), (Containode.Cli.RemoteHandOff.ServerGen0Variable, null),
            ("CONTAINET_LOG_MAX_BYTES", MaxLogBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        })
        {
            Environment.SetEnvironmentVariable(name, value);
            if (value is null) Posix.UnsetEnvironment(name);
            else Posix.SetEnvironment(name, value);
        }
        return new(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "containode", "containode")));
    }

    /// <summary>
    /// `containode run -d OPTIONS` in this process: the container made, then started by its monitor, which reports
    /// once the command runs. That blocks (an image may be pulled first), so each start has a thread of its own, and at
    /// most <see cref="MaxStarting"/> run at once; more wait their turn. One that has not started in
    /// <paramref name="timeout"/> is a <see cref="TimeoutException"/>: removing the container then ends its monitor,
    /// and with it the thread's wait.
    /// </summary>
    public async Task<ContainerRecord> StartDetached(IReadOnlyList<string> options, TimeSpan timeout)
    {
        await starting.WaitAsync();
        try
        {
            return await Task.Factory.StartNew(() =>
            {
                var record = Containode.Cli.RunCommands.Create(Containode.Cli.ArgParser.Parse(options, 0, Containode.Cli.SpecForms.Run, stopAtOperand: true));
                Containode.Cli.Containers.StartDetached(record, program);
                return record;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the job did not start in {timeout.TotalSeconds:0} s");
        }
        finally
        {
            starting.Release();
        }
    }

    public const int MaxStarting = 16;
    private readonly SemaphoreSlim starting = new(MaxStarting);

    public void Dispose() => starting.Dispose();

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
