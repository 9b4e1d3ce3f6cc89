using System.CommandLine;

namespace Containet.Cli;

/// <summary>
/// `completion bash|zsh` and `man` for a program defined with System.CommandLine: both read the same command tree
/// that parses the arguments and prints --help.
/// </summary>
public static class CommandDocs
{
    /// <summary>Adds the two commands to <paramref name="root"/>; call it after the other commands are in.</summary>
    public static void AddTo(RootCommand root, string program, string summary, string description)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong(BashCompletion.Shells);
        var completion = new Command("completion", $"print a shell completion script: source <({program} completion bash)") { shell };
        completion.SetAction(r =>
        {
            Console.Out.Write(BashCompletion.For(r.GetValue(shell)!, Bash(root, program)));
            return 0;
        });
        var man = new Command("man", $"print this manual page in roff: {program} man | man -l -");
        man.SetAction(_ =>
        {
            Console.Out.Write(Manual(root, program, summary, description));
            return 0;
        });
        root.Subcommands.Add(completion);
        root.Subcommands.Add(man);
    }

    public static string Bash(RootCommand root, string program)
    {
        var commands = Visible(root.Subcommands).ToList();
        return BashCompletion.Script(program,
            [.. commands.Select(c => c.Name), .. Visible(root.Options).SelectMany(Names)],
            commands.Select(c => (c.Name, Words(root, c), (string?)null)));
    }

    public static string Manual(RootCommand root, string program, string summary, string description)
    {
        var page = new ManPage(program, summary)
            .Section("Synopsis", $"{program} [OPTIONS]", $"{program} COMMAND [OPTIONS] [ARGUMENTS]")
            .Section("Description", description)
            .Options("Options", Visible(root.Options).Select(ManOptionOf))
            .Heading("Commands");
        foreach (var c in Visible(root.Subcommands))
            page.Command(Usage(program, c), c.Description ?? "", Visible(Options(root, c)).Select(ManOptionOf));
        return page.ToString();
    }

    /// <summary>A command's options: its own and the root's recursive ones, as its --help lists them.</summary>
    public static IEnumerable<Option> Options(RootCommand root, Command command) =>
        command.Options.Concat(root.Options.Where(o => o.Recursive && !command.Options.Contains(o)));

    private static IEnumerable<string> Words(RootCommand root, Command command) =>
        Visible(Options(root, command)).SelectMany(Names)
            .Concat(command.Subcommands.Where(s => !s.Hidden).Select(s => s.Name))
            .Concat(command.Arguments.SelectMany(a => a.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label)));

    private static string Usage(string program, Command c) =>
        string.Join(' ', new[] { program, c.Name }.Concat(c.Options.Count > 0 ? ["[OPTIONS]"] : []).Concat(c.Arguments.Select(a => a.HelpName ?? a.Name)));

    private static ManOption ManOptionOf(Option o) =>
        new(Names(o).OrderBy(n => n.StartsWith("--", StringComparison.Ordinal)).ToList(), TakesValue(o) ? o.HelpName ?? "VALUE" : null, o.Description ?? "");

    private static bool TakesValue(Option o) => o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0;

    // Windows spellings (/h) and -? are left out: they are not what a Linux user types.
    private static IEnumerable<string> Names(Option o) => new[] { o.Name }.Concat(o.Aliases.Where(a => a.StartsWith('-') && a != "-?"));

    private static IEnumerable<T> Visible<T>(IEnumerable<T> symbols) where T : Symbol => symbols.Where(s => !s.Hidden);
}
