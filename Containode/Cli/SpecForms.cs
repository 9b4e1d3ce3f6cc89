namespace Containode.Cli;

/// <summary>
/// The spec's settings as the two command-line forms spell them: the original form with its own letters (-t TOP,
/// -i ID, -p control socket) and `run`/`create` with docker's (-t terminal, -i stdin, -p publish).
/// </summary>
public static class SpecForms
{
    public static readonly CliOption Help = new("--help", 'h', null, "show this help");
    public static readonly CliOption Detach = new("--detach", 'd', null, "run in the background: print the container's ID and return once its command runs");
    public static readonly CliOption Version = new("--version", null, null, "print containode's version");

    public static readonly CliOption[] Original = [.. Settings(o => o.Short), Help, Version];
    public static readonly CliOption[] Create = [.. Settings(o => o.RunShort), Help];
    public static readonly CliOption[] Run = [.. Create[..^1], Detach, Help];

    /// <remarks>A loop, not Where and Select: a LINQ chain's first call resolves a generic virtual method at run time, at each start.</remarks>
    private static List<CliOption> Settings(Func<SpecOption, char?> letter)
    {
        var options = new List<CliOption>(SpecOptions.All.Length + 1);
        foreach (var o in SpecOptions.All)
            if (o.Long is not null) options.Add(new CliOption(o.Long, letter(o), o.ValueName, o.Help) { Aliases = o.Aliases, Setting = o });
        return options;
    }

    /// <summary>Applies what the parser found to a new spec; a bad value names its option.</summary>
    public static ContainerSpec Spec(ArgParser.Result parsed)
    {
        var spec = new ContainerSpec();
        foreach (var (option, value) in parsed.Options)
        {
            if (option.Setting is null) continue;
            try { option.Setting.Set(spec, value); }
            catch (UsageException e) when (!e.Message.Contains(option.Long, StringComparison.Ordinal))
            {
                throw new UsageException($"{option.Long} {value}: {e.Message}");
            }
        }
        return spec;
    }
}
