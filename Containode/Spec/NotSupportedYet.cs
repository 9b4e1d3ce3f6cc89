namespace Containode;

/// <summary>
/// Settings another issue brings ("network": publishing ports): until it lands, each is a clear error from here,
/// never silently ignored. Wiring one in means replacing its entry in <see cref="SpecOptions"/> with a real one.
/// </summary>
public static class NotSupportedYet
{
    public const string Network = "network";

    public static UsageException Option(string what, string issue) => new($"{what} is not supported yet (issue \"{issue}\")");
}
