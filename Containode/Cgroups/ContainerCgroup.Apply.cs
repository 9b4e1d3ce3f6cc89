namespace Containode.Cgroups;

public sealed partial class ContainerCgroup
{
    /// <summary>
    /// A controller by its v1 name and its v2 one (null: v2 has none), with the limits that need it. Each is
    /// used where the host has it: its v1 hierarchy where mounted (a hybrid host binds each controller to one
    /// of the two), else cgroup v2.
    /// </summary>
    private sealed record Placement(string V1, string? V2, Func<ResourceLimits, bool> Asked, string Options);

    private static readonly Placement[] Placements =
    [
        new("memory", "memory", r => r.LimitsMemory, "--memory, --memory-swap and --memory-reservation"),
        new("cpu", "cpu", r => r.LimitsCpu, "--cpus and --cpu-shares"),
        new("cpuset", "cpuset", r => r.CpusetCpus is not null, "--cpuset-cpus"),
        new("pids", "pids", r => r.PidsLimit is not null, "--pids-limit"),
        new("blkio", "io", r => r.LimitsIo, "--device-read-bps, --device-write-bps, --device-read-iops, --device-write-iops and --blkio-weight"),
        new("net_cls", null, r => r.NetClassId is not null, "--net-classid"),
    ];

    /// <summary>
    /// Applies the settings: each controller's limits, after enabling on cgroup v2 the controllers they need,
    /// then the device rules. The cgroup stays as it is when this fails: <see cref="Remove"/> it.
    /// </summary>
    public void Apply(CgroupSettings settings)
    {
        ApplyLimits(settings);
        ApplyDevices(settings);
    }

    /// <summary>
    /// The device half of <see cref="Apply"/>. It may come after the first process joined: the kernel checks the
    /// rules at each open and mknod, so they hold for whatever runs once they are in place.
    /// </summary>
    internal void ApplyDevices(CgroupSettings settings)
    {
        if (Directories.Count == 0) return;
        ICgroupController devices = v1.TryGetValue("devices", out var directory) ? new V1Devices(directory)
            : UnifiedDirectory is not null ? new V2Devices(UnifiedDirectory)
            : throw new LaunchException("no devices controller and no cgroup2: device rules cannot be enforced");
        devices.Apply(settings);
    }

    /// <summary>
    /// The limits half of <see cref="Apply"/>, which a fake cgroupfs can take (a device program attaches only to a
    /// real cgroup). It comes before the first process joins: v1's cpuset takes no task before it has CPUs and memory nodes.
    /// </summary>
    internal void ApplyLimits(CgroupSettings settings)
    {
        if (Directories.Count == 0) return;
        var resources = settings.Resources;
        var onUnified = new List<string>();
        foreach (var p in Placements)
        {
            if (!p.Asked(resources) || v1.ContainsKey(p.V1)) continue;
            if (p.V2 is null || unified is null) throw new LaunchException(Unplaceable(p));
            onUnified.Add(p.V2);
        }
        if (unified is not null) UnifiedDelegation.Enable(unifiedChain, unifiedOwn!, onUnified);

        foreach (var controller in Controllers(onUnified)) controller.Apply(settings);
        applied = resources;
    }

    /// <summary>The limits' controllers of this cgroup: each v1 one made, and the v2 ones enabled.</summary>
    private List<ICgroupController> Controllers(List<string> onUnified)
    {
        var controllers = new List<ICgroupController>();
        foreach (var (name, directory) in v1)
            if (name switch
            {
                "memory" => new V1Memory(directory),
                "cpu" => new V1Cpu(directory),
                "cpuset" => new V1Cpuset(directory),
                "pids" => new Pids(directory),
                "blkio" => new V1Blkio(directory),
                "net_cls" => new V1NetCls(directory),
                _ => (ICgroupController?)null,
            } is { } controller)
                controllers.Add(controller);
        foreach (var name in onUnified)
            controllers.Add(name switch
            {
                "memory" => new V2Memory(unified!),
                "cpu" => new V2Cpu(unified!),
                "cpuset" => new V2Cpuset(unified!),
                "pids" => new Pids(unified!),
                _ => new V2Io(unified!),
            });
        return controllers;
    }

    private string Unplaceable(Placement p) =>
        p.V2 is null && unifiedOnly ? $"{p.Options} needs cgroup v1's {p.V1} controller, and this host has cgroup v2 only, which has no {p.V1}"
        : p.V2 is null ? $"{p.Options} needs cgroup v1's {p.V1} controller, which is not mounted: mount -t cgroup -o {p.V1} {p.V1} /sys/fs/cgroup/{p.V1}"
        : $"{p.Options} needs the {p.V1} controller, which this host mounts neither as cgroup v1 nor as cgroup2";
}
