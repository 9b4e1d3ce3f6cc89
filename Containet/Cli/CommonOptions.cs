using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Containet.Cli;

/// <summary>Options several containet commands share.</summary>
internal static class CommonOptions
{
    public const string DefaultSocket = Protocol.SwitchUnreachable.DefaultPath;

    /// <summary>Made once and recursive, so that `containet -s SOCK ports` and `containet ports -s SOCK` both reach SOCK.</summary>
    public static Option<string> Socket() => new("--socket", "-s")
    {
        Description = "the switch's control socket",
        DefaultValueFactory = _ => DefaultSocket,
        HelpName = "PATH",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "print JSON instead of a table" };

    public static Option<string?> TokenFile() => new("--token-file")
    {
        Description = "file holding the auth token requests must carry",
        HelpName = "FILE",
        Recursive = true,
    };

    public static Option<LogLevel> LogLevel() => new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning, Error, Critical or None",
        DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information,
        HelpName = "LEVEL",
    };

    /// <summary>Diagnostics go to stderr so that stdout stays data.</summary>
    public static ILoggerFactory Logging(LogLevel level) => LoggerFactory.Create(b => b
        .SetMinimumLevel(level)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace));

    public static string? ReadToken(string? file)
    {
        if (file is null) return null;
        var token = File.ReadAllText(file).Trim();
        return token.Length > 0 ? token : throw new InvalidOperationException($"token file {file} is empty");
    }
}
