using System.Reflection;
using Containet.Native;

namespace Containode.Cli;

/// <summary>version, and the original form's --version: what containet --version and mocker --version print.</summary>
public static class VersionCommand
{
    public static string Text =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count > 0) throw new UsageException("version takes no operands");
        Posix.WriteOutput(Text);
        return 0;
    }
}
