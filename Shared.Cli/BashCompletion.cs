using System.Text;

namespace Containet.Cli;

/// <summary>
/// A bash completion script for a program with commands: the first word that names a command picks that command's
/// words; before it, the program's own options and its commands. zsh runs the same script through bashcompinit.
/// </summary>
public static class BashCompletion
{
    /// <param name="program">the program's name, which the script completes</param>
    /// <param name="topWords">what completes before a command: the commands and global options</param>
    /// <param name="commands">each command with its words (options, fixed values), and shell code that prints more
    /// (container names), or null</param>
    public static string Script(string program, IEnumerable<string> topWords, IEnumerable<(string Name, IEnumerable<string> Words, string? Dynamic)> commands)
    {
        var list = commands.ToList();
        var function = "_" + program.Replace('-', '_');
        var s = new StringBuilder();
        s.Append(function).Append("() {\n");
        s.Append("  local cur=${COMP_WORDS[COMP_CWORD]} cmd= i words\n");
        s.Append("  for ((i = 1; i < COMP_CWORD; i++)); do\n");
        s.Append("    case \" ").Append(string.Join(' ', list.Select(c => c.Name))).Append(" \" in *\" ${COMP_WORDS[i]} \"*) cmd=${COMP_WORDS[i]}; break ;; esac\n");
        s.Append("  done\n  case $cmd in\n");
        foreach (var (name, words, dynamic) in list)
        {
            s.Append("    ").Append(name).Append(") words=\"").Append(string.Join(' ', words)).Append('"');
            if (dynamic is not null) s.Append("\" $(").Append(dynamic).Append(")\"");
            s.Append(" ;;\n");
        }
        s.Append("    *) words=\"").Append(string.Join(' ', topWords)).Append("\" ;;\n  esac\n");
        s.Append("  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n");
        s.Append("complete -o default -F ").Append(function).Append(' ').Append(program).Append('\n');
        return s.ToString();
    }

    /// <summary>The script for <paramref name="shell"/>: bash's as is, zsh's through bashcompinit.</summary>
    public static string For(string shell, string bashScript) => shell switch
    {
        "bash" => bashScript,
        "zsh" => "autoload -U +X bashcompinit && bashcompinit\n" + bashScript,
        _ => throw new UsageException($"no completion for '{shell}': bash or zsh"),
    };

    public static readonly string[] Shells = ["bash", "zsh"];
}
