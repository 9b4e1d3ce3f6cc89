namespace Containet.Cli;

/// <summary>The command line cannot work as given: one line, then exit status 2 (as a parse error), in every program.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    /// <summary>
    /// Parses what the user typed: a <see cref="FormatException"/> here is the user's mistake, where the same parser
    /// deeper down (on a registry's reply, a state file) would be an error of that data, not bad usage.
    /// </summary>
    public static T Check<T>(Func<T> parse, string? option = null)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException(option is null ? e.Message : $"{option}: {e.Message}");
        }
    }
}
