namespace Containode.Cli;

/// <summary>
/// GNU-style options: --opt VALUE, --opt=VALUE, -o VALUE, -oVALUE, bundled letters (-NI, -it, -dit), and -- to end
/// them. A verb that takes a command stops at its first operand, so the command's own flags (sh -c ...) stay
/// the command's; one that takes names (rm a b -f) takes options anywhere.
/// </summary>
public static class ArgParser
{
    public sealed class Result
    {
        public List<(CliOption Option, string Value)> Options { get; } = [];
        public List<string> Operands { get; } = [];

        public bool Has(CliOption option) => Options.Exists(o => o.Option == option);

        public string? Value(CliOption option) => Options.FindLast(o => o.Option == option) is { Option: not null } found ? found.Value : null;
    }

    /// <param name="args">the words</param>
    /// <param name="start">where this verb's words begin</param>
    /// <param name="options">what this verb takes</param>
    /// <param name="stopAtOperand">end the options at the first operand: it and everything after are operands</param>
    public static Result Parse(IReadOnlyList<string> args, int start, IReadOnlyList<CliOption> options, bool stopAtOperand)
    {
        var result = new Result();
        for (var i = start; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                for (i++; i < args.Count; i++) result.Operands.Add(args[i]);
                break;
            }
            if (a.Length > 2 && a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=');
                var name = eq > 0 ? a[..eq] : a;
                var option = Find(options, o => o.Matches(name)) ?? throw new UsageException($"unknown option {name}");
                if (option.IsFlag)
                {
                    if (eq > 0) throw new UsageException($"option {name} takes no value");
                    result.Options.Add((option, "true"));
                }
                else result.Options.Add((option, eq > 0 ? a[(eq + 1)..] : Next(args, ref i, name)));
                continue;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                for (var j = 1; j < a.Length; j++)
                {
                    var letter = a[j];
                    var option = Find(options, o => o.Short == letter) ?? throw new UsageException($"unknown option -{letter}");
                    if (option.IsFlag)
                    {
                        result.Options.Add((option, "true"));
                        continue;
                    }
                    result.Options.Add((option, j + 1 < a.Length ? a[(j + 1)..] : Next(args, ref i, "-" + letter)));
                    break;
                }
                continue;
            }
            if (stopAtOperand)
            {
                for (; i < args.Count; i++) result.Operands.Add(args[i]);
                break;
            }
            result.Operands.Add(a);
        }
        return result;
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string name) =>
        i + 1 < args.Count ? args[++i] : throw new UsageException($"option {name} needs a value");

    private static CliOption? Find(IReadOnlyList<CliOption> options, Func<CliOption, bool> match)
    {
        foreach (var o in options)
            if (match(o)) return o;
        return null;
    }
}
