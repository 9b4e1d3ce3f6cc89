namespace Containode;

/// <summary>
/// Settings other issues implement ("resource limits", "user and time namespaces", "network"): until they land,
/// each is a clear error here, never silently ignored. Wiring one in means replacing its entry with a real one in
/// <see cref="SpecOptions"/>.
/// </summary>
public static class NotSupportedYet
{
    public const string Limits = "resource limits";
    public const string UserAndTime = "user and time namespaces";
    public const string Network = "network";

    public static readonly SpecOption[] Keys =
    [
        Key("max_physical_memory", "BYTES", "the most physical memory the container may use", Limits),
        Key("max_memory", "BYTES", "the most memory and swap the container may use", Limits),
        Key("cpu_share", "N", "the container's CPU weight", Limits),
        Key("net_classid", "ID", "the net_cls class id of the container's packets", Limits),
        Key("iops_limit", "MAJOR:MINOR IOPS", "I/O operations a second on a device", Limits),
        Key("io_bw_limit", "MAJOR:MINOR BYTES_PER_SECOND", "bytes a second on a device", Limits),
    ];

    public static UsageException Option(string what, string issue) => new($"{what} is not supported yet (issue \"{issue}\")");

    private static SpecOption Key(string key, string valueName, string help, string issue) =>
        SpecOptions.Text(key, null, valueName, help, (_, _) => throw Option(key, issue), _ => null);
}
