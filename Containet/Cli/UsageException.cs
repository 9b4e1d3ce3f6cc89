namespace Containet.Cli;

/// <summary>The command line asked for something impossible: exit status 2, like a parse error.</summary>
internal sealed class UsageException(string message) : Exception(message);
