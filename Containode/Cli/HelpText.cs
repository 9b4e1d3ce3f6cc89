using System.Text;

namespace Containode.Cli;

/// <summary>--help, rendered from the same tables the parser reads, so the two never disagree.</summary>
public static class HelpText
{
    public static string Render(Verb verb) => Render("containode " + verb.Usage, verb.Summary, verb.Options);

    public static string Render(string usage, string summary, IReadOnlyList<CliOption> options, string? footer = null)
    {
        var text = new StringBuilder();
        text.Append("Usage: ").Append(usage).Append("\n\n").Append(summary).Append('\n');
        if (options.Count > 0) text.Append("\nOptions:\n");
        var lefts = options.Select(Left).ToList();
        var width = Math.Min(36, lefts.Max(l => l.Length) + 2);
        for (var i = 0; i < options.Count; i++)
        {
            var left = lefts[i];
            text.Append("  ").Append(left);
            text.Append(left.Length + 2 > width ? "\n  " + new string(' ', width) : new string(' ', width - left.Length));
            text.Append(options[i].Help).Append('\n');
        }
        if (footer is not null) text.Append('\n').Append(footer).Append('\n');
        return text.ToString().TrimEnd('\n');
    }

    private static string Left(CliOption o)
    {
        var s = o.Short is { } c ? $"-{c}, {o.Long}" : "    " + o.Long;
        return o.IsFlag ? s : s + " " + o.ValueName;
    }
}
