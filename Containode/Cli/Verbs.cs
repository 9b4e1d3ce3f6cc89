using System.Globalization;
using Containet.Native;

namespace Containode.Cli;

/// <summary>
/// containode's verbs, as docker and podman have them. A first word that is a verb is that verb; anything else is
/// the original form, `containode [options] [--] COMMAND` (`containode -- ps` runs a program called ps).
/// </summary>
public static class Verbs
{
    /// <summary>The monitor's own verbs: not for users, so not listed.</summary>
    public const string MonitorVerb = "__monitor", RestartVerb = "__restart";

    private static readonly CliOption[] HelpOnly = [SpecForms.Help];
    private static readonly CliOption NoStream = new("--no-stream", null, null, "one reading, then exit");
    private static readonly CliOption Json = new("--json", null, null, "one JSON object per container and reading");

    public static readonly Verb[] All =
    [
        new("run", "run [options] [IMAGE] [COMMAND [ARGS...]]", "Run a command in a new container: IMAGE from mocker's store, or a root with -r.", SpecForms.Run, RunCommands.Run, StopsAtOperand: true),
        new("create", "create [options] [IMAGE] [COMMAND [ARGS...]]", "Make a container without starting it; prints its ID.", SpecForms.Create, RunCommands.CreateOnly, StopsAtOperand: true),
        new("start", "start [--config-dir DIR] NAME...", "Start a created or stopped container, or the first time the one NAME.conf describes.", [ConfigDirectory.Option, SpecForms.Help], RunCommands.Start),
        new("start-all", "start-all [--config-dir DIR]", "Start every configured container that is not running, and report each.", [ConfigDirectory.Option, SpecForms.Help], RunCommands.StartAll),
        new("stop", "stop [-t SECONDS] NAME...", "Stop containers: SIGTERM, then SIGKILL after the timeout.", [StopCommands.Time, SpecForms.Help], StopCommands.Stop),
        new("stop-all", "stop-all [--config-dir DIR] [-t SECONDS]", "Stop every configured container that runs.", [ConfigDirectory.Option, StopCommands.Time, SpecForms.Help], StopCommands.StopAll),
        new("kill", "kill [-s SIGNAL] NAME...", "Send a signal to containers' first processes.", [StopCommands.Signal, SpecForms.Help], StopCommands.Kill),
        new("rm", "rm [-f] NAME...", "Remove stopped containers and everything of them: state, TOP, logs.", [RemoveCommands.Force, SpecForms.Help], RemoveCommands.Remove),
        new("prune", "prune", "Remove every stopped container.", HelpOnly, RemoveCommands.Prune),
        new("ps", "ps [-a] [-q] [--json]", "List containers.", [PsCommand.All, PsCommand.Quiet, PsCommand.Json, SpecForms.Help], PsCommand.Run),
        new("logs", "logs [-f] [--tail N] [-t] NAME", "Print what a detached container wrote on stdout and stderr.", [LogsCommand.Follow, LogsCommand.Tail, LogsCommand.Timestamps, SpecForms.Help], LogsCommand.Run),
        new("exec", "exec [options] NAME COMMAND [ARGS...]", "Run a command inside a running container: its namespaces, root, cgroup and environment.", ExecCommand.Options, ExecCommand.Run, StopsAtOperand: true),
        new("inspect", "inspect NAME...", "Print containers' state and configuration as JSON.", HelpOnly, ContainerJson.Inspect),
        new(StatsCommand.Name, "stats [--no-stream] [--json] [NAME...]", "Show what running containers use: CPU, memory, network, block I/O, tasks.", [NoStream, Json, SpecForms.Help],
            p => StatsCommand.Run([.. p.Options.Select(o => o.Option.Long), .. p.Operands])),
        new("completion", "completion bash|zsh", "Print a shell completion script: source <(containode completion bash).", HelpOnly, Completion.Run),
        new("man", "man", "Print this manual page in roff: containode man | man -l -.", HelpOnly, ManCommand.Run),
        new("version", "version", "Print containode's version.", HelpOnly, VersionCommand.Run),
    ];

    public static Verb? Find(string name) => Array.Find(All, v => v.Name == name);

    /// <summary>The verbs, one a line, for the original form's help.</summary>
    public static string Summary() =>
        "Verbs (containode VERB --help for each):\n" + string.Join('\n', All.Select(v => "  " + v.Name.PadRight(12) + v.Summary))
        + "\n  " + RemoteHandOff.ServeVerb.PadRight(12) + RemoteHandOff.ServeSummary
        + "\n  (run, ps, logs, inspect, stop, kill, rm and stats act on a remote node with --host ADDR:PORT or CONTAINODE_HOST)";

    /// <summary>Runs argv: a verb, the monitor's own verbs, or the original form.</summary>
    public static int Dispatch(string[] args)
    {
        if (args.Length > 0 && Find(args[0]) is { } verb) return verb.Invoke(args);
        if (args.Length == 2 && args[0] == MonitorVerb) return RunCommands.Monitor(args[1]);
        if (args.Length == 3 && args[0] == RestartVerb && int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            return RunCommands.Restart(args[1], status);
        return RunCommands.Original(args);
    }
}
