using System.Text;
using Containet.Native;

namespace Containode.Cli;

/// <summary>completion bash|zsh: scripts made from the verb table, so they know every verb and option.</summary>
public static class Completion
{
    public static int Run(ArgParser.Result parsed)
    {
        var shell = parsed.Operands.Count == 1 ? parsed.Operands[0] : throw new UsageException("completion takes one shell: bash or zsh");
        Posix.WriteOutput(shell switch
        {
            "bash" => Bash(),
            "zsh" => "autoload -U +X bashcompinit && bashcompinit\n" + Bash(),
            _ => throw new UsageException($"no completion for '{shell}': bash or zsh"),
        });
        return 0;
    }

    private static string Bash()
    {
        var s = new StringBuilder();
        s.Append("_containode() {\n");
        s.Append("  local cur=${COMP_WORDS[COMP_CWORD]} verb=${COMP_WORDS[1]} words\n");
        s.Append("  if [ \"$COMP_CWORD\" -eq 1 ]; then\n");
        s.Append("    words=\"").Append(string.Join(' ', Verbs.All.Select(v => v.Name))).Append(' ').Append(Options(SpecForms.Original)).Append("\"\n");
        s.Append("  else\n    case $verb in\n");
        foreach (var verb in Verbs.All)
        {
            var names = verb.Name is "run" or "create" or "completion" ? "" : " $(containode ps -a --quiet 2>/dev/null; containode ps -a --json 2>/dev/null | sed -n 's/.*\"name\": \"\\(.*\\)\".*/\\1/p')";
            if (verb.Name == "completion") names = " bash zsh";
            s.Append("      ").Append(verb.Name).Append(") words=\"").Append(Options(verb.Options)).Append('"').Append(names).Append(" ;;\n");
        }
        s.Append("      *) words=\"").Append(Options(SpecForms.Original)).Append("\" ;;\n    esac\n  fi\n");
        s.Append("  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\ncomplete -o default -F _containode containode");
        return s.ToString();
    }

    private static string Options(IEnumerable<CliOption> options) =>
        string.Join(' ', options.SelectMany(o => o.Short is { } c ? [o.Long, "-" + c] : new[] { o.Long }));
}
