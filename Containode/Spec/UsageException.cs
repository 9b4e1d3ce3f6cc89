namespace Containode;

/// <summary>The command line cannot work as given: exit status 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The launch cannot go ahead (missing root, busy TOP, no switch, ...): one line, exit status 1.</summary>
public sealed class LaunchException(string message) : Exception(message);
