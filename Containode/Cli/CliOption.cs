namespace Containode.Cli;

/// <summary>An option as a command line spells it: GNU long name, an optional letter, a value or none (a flag).</summary>
public sealed record CliOption(string Long, char? Short, string? ValueName, string Help)
{
    public string[] Aliases { get; init; } = [];

    /// <summary>The spec setting it stands for, when it is one.</summary>
    public SpecOption? Setting { get; init; }

    public bool IsFlag => ValueName is null;

    public bool Matches(string name) => name == Long || Aliases.Contains(name);
}
