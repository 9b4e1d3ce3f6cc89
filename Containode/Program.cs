using Containet.Native;
using Containet.Protocol;
using Containode;
using Containode.Cli;

try
{
    return Verbs.Dispatch(args);
}
catch (UsageException e)
{
    Posix.WriteError("containode: " + e.Message + ". Try 'containode --help'.");
    return 2;
}
catch (CommandFailedException e)
{
    Posix.WriteError("containode: " + e.Message);
    return e.Status;
}
catch (Exception e) when (Program.IsReported(e))
{
    Posix.WriteError("containode: " + e.Message);
    return 1;
}

/// <summary>containode's entry: the verbs parse and print; Containode's runtime library does the work.</summary>
public static partial class Program
{
    /// <summary>The errors that are the user's to read as one line (the rest are bugs, and show their stack).</summary>
    public static bool IsReported(Exception e) =>
        e is UserException or ConfigException or NativeException or IOException or UnauthorizedAccessException or SwitchException or UsageException;
}
