using System.Globalization;
using Containet.Native;

namespace Containode.Cli;

/// <summary>stop, kill and stop-all: signals to a container's first process, through a pidfd, so never to another process.</summary>
public static class StopCommands
{
    public static readonly CliOption Time = new("--time", 't', "SECONDS", "seconds to wait after SIGTERM before SIGKILL (default 10)");
    public static readonly CliOption Signal = new("--signal", 's', "SIGNAL", "the signal to send (default KILL)");

    /// <summary>How long a monitor may take to record the status and clean up once the container's processes are gone.</summary>
    private static readonly TimeSpan CleanUpTimeout = TimeSpan.FromSeconds(10);

    public static int Stop(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a container to stop");
        var timeout = Seconds(parsed.Value(Time));
        return ForEach(parsed.Operands, name => StopOne(Containers.Store.Resolve(name), timeout));
    }

    public static int Kill(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a container to kill");
        var signal = SignalNames.Parse(parsed.Value(Signal) ?? "KILL");
        return ForEach(parsed.Operands, name =>
        {
            var record = Containers.Store.Resolve(name);
            using var first = FirstProcess(record) ?? throw new LaunchException($"container {record.Name} is not running");
            first.Signal(signal);
        });
    }

    public static int StopAll(ArgParser.Result parsed)
    {
        var timeout = Seconds(parsed.Value(Time));
        var names = ConfigDirectory.From(parsed).Names().Where(n => Containers.Store.Find(n) is { } r && r.Status().State == ContainerStatus.Phase.Running).ToList();
        foreach (var name in names) Posix.WriteOutput($"{name}: stopping");
        return ForEach(names, name => StopOne(Containers.Store.Resolve(name), timeout));
    }

    /// <summary>
    /// SIGTERM, then SIGKILL if the command still runs after <paramref name="timeout"/>; returns once the monitor has
    /// recorded the status and cleaned up. A stopped container is not restarted by its policy.
    /// </summary>
    public static void StopOne(ContainerRecord record, TimeSpan timeout)
    {
        if (record.RunningPids() is not { } pids) return;
        File.WriteAllText(record.StopFile, "");
        using var monitor = ProcessHandle.Open(pids.Monitor);
        if (monitor is null) return;
        using (var first = ProcessHandle.Open(pids.Container))
        {
            if (first is not null && !(timeout > TimeSpan.Zero && first.Signal(Containet.Native.Signal.Term) && first.WaitForExit(timeout)))
                first.Signal(Containet.Native.Signal.Kill);
        }
        // The command has ended (or ends now): the monitor records its status and cleans up.
        monitor.WaitForExit(CleanUpTimeout);
    }

    /// <summary>The container's first process, if it runs.</summary>
    public static ProcessHandle? FirstProcess(ContainerRecord record) =>
        record.RunningPids() is { } pids && pids.Monitor.IsAlive ? ProcessHandle.Open(pids.Container) : null;

    internal static int ForEach(IEnumerable<string> names, Action<string> act)
    {
        var failed = 0;
        foreach (var name in names)
        {
            try
            {
                act(name);
                Posix.WriteOutput(name);
            }
            catch (Exception e) when (Program.IsReported(e))
            {
                Posix.WriteError($"containode: {name}: {e.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static TimeSpan Seconds(string? text) =>
        text is null ? TimeSpan.FromSeconds(10)
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 86400 ? TimeSpan.FromSeconds(s)
        : throw new UsageException($"--time {text}: a number of seconds");
}
