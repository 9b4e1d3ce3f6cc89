using Containode.Cgroups;

namespace Containode;

/// <summary>
/// The resource options (docker's: --memory, --cpus, --pids-limit...) and minimal_containers' resource keys
/// (max_physical_memory, max_memory, cpu_share, iops_limit, io_bw_limit; net_classid is --net-classid's own key) as
/// spec settings, parsed by <see cref="ResourceOptions"/> into <see cref="ResourceLimits"/> and kept as given.
/// </summary>
public static class ResourceSettings
{
    private static readonly (string Key, string Value, string Help)[] Keys =
        [
            ("max_physical_memory", "BYTES", "the most physical memory the container may use (--memory)"),
            ("max_memory", "BYTES", "the most memory and swap the container may use (--memory-swap)"),
            ("cpu_share", "N", "the container's CPU weight (--cpu-shares)"),
            ("iops_limit", "MAJOR:MINOR IOPS", "I/O operations a second on a device, reading and writing (repeatable)"),
            ("io_bw_limit", "MAJOR:MINOR BYTES_PER_SECOND", "bytes a second on a device, reading and writing (repeatable)"),
        ];

    public static readonly SpecOption[] All =
    [
        .. ResourceOptions.Options.Select(o => NamespaceSettings.Given(o.Name[2..].Replace('-', '_'), o.Name, o.Value, o.Description,
            (s, v) => s.Resources = ResourceOptions.Apply(s.Resources, o.Name, v)) with { Short = o.Short?[1], RunShort = o.Short?[1] }),
        .. Keys.Select(k => NamespaceSettings.Given(k.Key, null, k.Value, k.Help,
            (s, v) => s.Resources = ResourceOptions.ApplyConfigKey(s.Resources, k.Key, v) ?? throw new UsageException($"{k.Key} is no resource key"))
            with { Repeatable = k.Key.EndsWith("_limit", StringComparison.Ordinal) }),
    ];
}
