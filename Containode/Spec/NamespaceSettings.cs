using Containet.Native;

namespace Containode;

/// <summary>
/// The namespace options (--userns, --uidmap, --gidmap, --timens, --pid/--uts/--cgroupns/--ipc/--net host) as spec
/// settings: parsed into <see cref="NamespaceOptions"/>, and kept as given so a saved spec reads back the same.
/// </summary>
public static class NamespaceSettings
{
    public static readonly SpecOption[] All =
    [
        Given("userns", "--userns", "private|host", "private: a user namespace of its own, root inside an unprivileged uid outside", (s, v) => s.Namespaces = s.Namespaces.WithUsers(v)),
        Given("uidmap", "--uidmap", "CONTAINER:HOST:SIZE", "map uids (repeatable; implies --userns private; default 0:1000000000:65536)", (s, v) => s.Namespaces = s.Namespaces.AddUidMap(v)) with { Repeatable = true },
        Given("gidmap", "--gidmap", "CONTAINER:HOST:SIZE", "map gids (repeatable; default: as --uidmap)", (s, v) => s.Namespaces = s.Namespaces.AddGidMap(v)) with { Repeatable = true },
        SpecOptions.Flag("timens", "--timens", "a time namespace: uptime and the monotonic clocks start at zero", (s, v) => s.Namespaces = s.Namespaces with { Time = v }, s => s.Namespaces.Time),
        Given("pid", "--pid", "host|private", "host: share the host's PID namespace", (s, v) => s.Namespaces = s.Namespaces.Share(Namespaces.Pid, "--pid", v)),
        Given("uts", "--uts", "host|private", "host: share the host's hostname", (s, v) => s.Namespaces = s.Namespaces.Share(Namespaces.Uts, "--uts", v)),
        Given("cgroupns", "--cgroupns", "host|private", "host: see the host's cgroup tree", (s, v) => s.Namespaces = s.Namespaces.Share(Namespaces.Cgroup, "--cgroupns", v)),
        Given("ipc", "--ipc", "host|private", "host: share the host's IPC namespace (-I)", (s, v) => s.ShareIpc = NamespaceOptions.IsHost("--ipc", v)),
        Given("net", "--net", "host|private", "host: share the host's network (-N)", (s, v) => s.ShareNetwork = NamespaceOptions.IsHost("--net", v)),
    ];

    /// <summary>A setting applied to the spec and kept as given.</summary>
    internal static SpecOption Given(string key, string? @long, string valueName, string help, Action<ContainerSpec, string> set) =>
        new(key, @long, valueName, help, (s, v) =>
        {
            set(s, v);
            s.Given.Add((key, v));
        }, s => SpecOptions.Given(s, key));
}
