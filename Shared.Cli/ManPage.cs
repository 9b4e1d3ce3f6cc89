using System.Text;

namespace Containet.Cli;

/// <summary>An option as a manual lists it: every name, the value's name for one that takes a value, and its help.</summary>
public sealed record ManOption(IReadOnlyList<string> Names, string? ValueName, string Help);

/// <summary>
/// A section 1 manual page in roff (man(7) macros), built from the same definitions the programs parse with, so
/// `man PROGRAM` and `PROGRAM --help` list the same options.
/// </summary>
public sealed class ManPage(string program, string summary)
{
    private readonly StringBuilder body = new();

    /// <summary>A section of text; each of <paramref name="lines"/> starts a line of its own.</summary>
    public ManPage Section(string title, params string[] lines)
    {
        body.Append(".SH ").Append(title.ToUpperInvariant()).Append('\n').AppendJoin("\n.br\n", lines.Select(Escape)).Append('\n');
        return this;
    }

    /// <summary>A lone option list (for a program's global options).</summary>
    public ManPage Options(string title, IEnumerable<ManOption> options)
    {
        body.Append(".SH ").Append(title.ToUpperInvariant()).Append('\n');
        AppendOptions(options);
        return this;
    }

    /// <summary>One command of a program with verbs: its usage line, what it does, and its options.</summary>
    public ManPage Command(string usage, string text, IEnumerable<ManOption> options)
    {
        body.Append(".SS ").Append(Escape(usage)).Append('\n').Append(Escape(text)).Append('\n');
        AppendOptions(options);
        return this;
    }

    /// <summary>Starts the section that <see cref="Command"/> entries go under.</summary>
    public ManPage Heading(string title)
    {
        body.Append(".SH ").Append(title.ToUpperInvariant()).Append('\n');
        return this;
    }

    public override string ToString() =>
        $".TH {program.ToUpperInvariant()} 1 \"\" \"{program}\" \"User Commands\"\n.SH NAME\n{program} \\- {Escape(summary)}\n{body}";

    private void AppendOptions(IEnumerable<ManOption> options)
    {
        foreach (var o in options)
        {
            body.Append(".TP\n").Append(string.Join(", ", o.Names.Select(n => "\\fB" + Escape(n) + "\\fR")));
            if (o.ValueName is not null) body.Append(" \\fI").Append(Escape(o.ValueName)).Append("\\fR");
            body.Append('\n').Append(Escape(o.Help)).Append('\n');
        }
    }

    /// <summary>Text as roff shows it literally: backslashes doubled, dashes as minus signs (so they copy and search
    /// as '-'), and a line that would start with a control character guarded.</summary>
    public static string Escape(string text)
    {
        var s = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return string.Join('\n', s.Split('\n').Select(line => line.StartsWith('.') || line.StartsWith('\'') ? "\\&" + line : line));
    }
}
