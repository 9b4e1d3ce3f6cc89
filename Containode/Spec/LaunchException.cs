namespace Containode;

/// <summary>The launch cannot go ahead (missing root, busy TOP, no switch, ...): one line, exit status 1.</summary>
public sealed class LaunchException(string message) : UserException(message);
