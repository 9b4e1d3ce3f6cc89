namespace Containode.Cli;

/// <summary>Where config files live: --config-dir, else CONTAINET_CONFIG_DIR, else /etc/containet/containers; NAME.conf each.</summary>
public sealed class ConfigDirectory(string path)
{
    public const string Default = "/etc/containet/containers";

    public static readonly CliOption Option = new("--config-dir", null, "DIR", $"where NAME.conf files are (default: $CONTAINET_CONFIG_DIR or {Default})");

    public static ConfigDirectory From(ArgParser.Result parsed) =>
        new(parsed.Value(Option) ?? (Environment.GetEnvironmentVariable("CONTAINET_CONFIG_DIR") is { Length: > 0 } env ? env : Default));

    public string FileOf(string name) => Path.Combine(path, name + ".conf");

    /// <summary>The configured containers' names, sorted.</summary>
    public IEnumerable<string> Names() =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.conf").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)
            : throw new LaunchException($"no config directory {path}: make it, or give another with --config-dir");
}
