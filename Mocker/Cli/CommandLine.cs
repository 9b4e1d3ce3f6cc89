using System.Text;

namespace Mocker.Cli;

/// <summary>An option: a flag when <see cref="Value"/> is null, else it takes a value named so in help.</summary>
internal sealed record OptionSpec(string Name, string? Alias, string? Value, string Description);

/// <summary>A subcommand: its positional arguments (name, description), its own options and what it does.</summary>
internal sealed record CommandSpec(string Name, string Description, string[][] Arguments, OptionSpec[] Options, Func<ParsedArgs, int> Run);

/// <summary>What a command line said: option values by option name, and the positional arguments in order.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public List<string> Arguments { get; } = [];

    public void Add(string option, string value)
    {
        if (!values.TryGetValue(option, out var list)) values[option] = list = [];
        list.Add(value);
    }

    public bool Has(string option) => values.ContainsKey(option);

    /// <summary>The last value given (a repeated single-value option keeps the last, as GNU tools do).</summary>
    public string? Value(string option) => values.TryGetValue(option, out var list) ? list[^1] : null;

    public string[] Values(string option) => values.TryGetValue(option, out var list) ? list.ToArray() : [];
}

/// <summary>
/// GNU-style parsing for mocker: long options with a space or '=' before the value, short aliases, options
/// before or after the command, "--" ending them. Hand-written rather than System.CommandLine, which containet
/// and containode use: building its command tree was a fifth of a small image's pull (bench/mocker.sh).
/// </summary>
internal sealed class CommandLine(string program, string description, OptionSpec[] globals, CommandSpec[] commands)
{
    private static readonly OptionSpec Help = new("--help", "-h", null, "show help and usage information");
    private static readonly OptionSpec Version = new("--version", null, null, "show version information");

    /// <summary>Runs the command <paramref name="args"/> name; usage errors are <see cref="UsageException"/>s.</summary>
    public int Run(string[] args)
    {
        CommandSpec? command = null;
        var parsed = new ParsedArgs();
        var onlyArguments = false;
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (onlyArguments || token == "-" || !token.StartsWith('-'))
            {
                if (command is null && !onlyArguments)
                    command = Array.Find(commands, c => c.Name == token) ?? throw new UsageException($"unknown command '{token}'");
                else parsed.Arguments.Add(token);
                continue;
            }
            if (token == "--")
            {
                onlyArguments = true;
                continue;
            }
            var equals = token.StartsWith("--", StringComparison.Ordinal) ? token.IndexOf('=') : -1;
            var name = equals < 0 ? token : token[..equals];
            var option = Find(name, command) ?? throw new UsageException($"unknown option '{name}'{(command is null ? "" : $" for {command.Name}")}");
            if (option.Value is null)
            {
                if (equals >= 0) throw new UsageException($"{option.Name} takes no value");
                parsed.Add(option.Name, "");
                continue;
            }
            if (equals >= 0) parsed.Add(option.Name, token[(equals + 1)..]);
            else if (i + 1 < args.Length) parsed.Add(option.Name, args[++i]);
            else throw new UsageException($"{option.Name} needs a value ({option.Value})");
        }

        if (parsed.Has(Help.Name))
        {
            Console.Out.Write(command is null ? RootHelp() : CommandHelp(command));
            return 0;
        }
        if (parsed.Has(Version.Name))
        {
            Console.Out.WriteLine($"{program} {typeof(CommandLine).Assembly.GetName().Version?.ToString(3)}");
            return 0;
        }
        if (command is null) throw new UsageException("no command given");
        if (parsed.Arguments.Count < command.Arguments.Length)
            throw new UsageException($"{command.Name} needs {command.Arguments[parsed.Arguments.Count][0]}");
        if (parsed.Arguments.Count > command.Arguments.Length)
            throw new UsageException($"unexpected argument '{parsed.Arguments[command.Arguments.Length]}' for {command.Name}");
        return command.Run(parsed);
    }

    private OptionSpec? Find(string name, CommandSpec? command)
    {
        bool Named(OptionSpec o) => o.Name == name || o.Alias == name;
        return (command is null ? null : Array.Find(command.Options, Named)) ?? Array.Find(globals, Named)
            ?? (Named(Help) ? Help : command is null && Named(Version) ? Version : null);
    }

    private string RootHelp()
    {
        var text = new StringBuilder($"Usage: {program} [options] COMMAND [arguments]\n\n{description}\n\nCommands:\n");
        var width = commands.Max(c => c.Name.Length) + 2;
        foreach (var c in commands) text.Append("  ").Append(c.Name.PadRight(width)).Append(c.Description).Append('\n');
        AppendOptions(text, [.. globals, Help, Version]);
        return text.Append($"\nRun '{program} COMMAND --help' for a command's arguments and options.\n").ToString();
    }

    private string CommandHelp(CommandSpec command)
    {
        var text = new StringBuilder($"Usage: {program} {command.Name} [options]");
        foreach (var a in command.Arguments) text.Append(' ').Append(a[0]);
        text.Append($"\n\n{command.Description}\n");
        if (command.Arguments.Length > 0)
        {
            text.Append("\nArguments:\n");
            foreach (var a in command.Arguments) text.Append("  ").Append(a[0]).Append("  ").Append(a[1]).Append('\n');
        }
        AppendOptions(text, [.. command.Options, .. globals, Help]);
        return text.ToString();
    }

    private static void AppendOptions(StringBuilder text, OptionSpec[] options)
    {
        static string Left(OptionSpec o) => (o.Alias is null ? "" : o.Alias + ", ") + o.Name + (o.Value is null ? "" : " " + o.Value);
        var width = options.Max(o => Left(o).Length) + 2;
        text.Append("\nOptions:\n");
        foreach (var o in options) text.Append("  ").Append(Left(o).PadRight(width)).Append(o.Description).Append('\n');
    }
}

/// <summary>A command line that cannot be run as written; exit status 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
