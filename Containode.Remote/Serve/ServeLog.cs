using Microsoft.Extensions.Logging;

namespace Containode.Remote.Serve;

/// <summary>The server's log lines: one per request (who, what, how it ended), never its output or a secret.</summary>
public static partial class ServeLog
{
    [LoggerMessage(1, LogLevel.Information, "{Identity} {Method} {Job} {Outcome}")]
    public static partial void Request(ILogger logger, string identity, string method, string job, string outcome);

    [LoggerMessage(2, LogLevel.Information, "listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(3, LogLevel.Warning, "{Identity} {Method} failed: {Error}")]
    public static partial void Failed(ILogger logger, string identity, string method, string error);
}
