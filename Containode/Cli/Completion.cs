using Containet.Native;

namespace Containode.Cli;

/// <summary>completion bash|zsh: scripts made from the verb table, so they know every verb and option.</summary>
public static class Completion
{
    // The names of existing containers, for the verbs that take them.
    private const string ContainerNames =
        "containode ps -a --quiet 2>/dev/null; containode ps -a --json 2>/dev/null | sed -n 's/.*\"name\": \"\\(.*\\)\".*/\\1/p'";

    public static int Run(ArgParser.Result parsed)
    {
        var shell = parsed.Operands.Count == 1 ? parsed.Operands[0] : throw new UsageException("completion takes one shell: bash or zsh");
        Posix.WriteOutput(BashCompletion.For(shell, Bash()).TrimEnd('\n'));
        return 0;
    }

    private static string Bash() => BashCompletion.Script("containode",
        [.. Verbs.All.Select(v => v.Name), .. Options(SpecForms.Original)],
        Verbs.All.Select(v => (v.Name, v.Name == "completion" ? [.. Options(v.Options), .. BashCompletion.Shells] : Options(v.Options),
            v.Name is "run" or "create" or "completion" or "man" or "prune" or "start-all" or "stop-all" ? null : (string?)ContainerNames)));

    private static IEnumerable<string> Options(IEnumerable<CliOption> options) =>
        options.SelectMany(o => o.Short is { } c ? [o.Long, "-" + c] : new[] { o.Long });
}
