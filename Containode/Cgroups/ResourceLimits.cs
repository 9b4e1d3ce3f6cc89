namespace Containode.Cgroups;

/// <summary>A block device by its numbers and a rate for it: bytes or I/O operations per second.</summary>
public readonly record struct DeviceRate(uint Major, uint Minor, ulong Rate)
{
    /// <summary>The form blkio's throttle files and io.max name a device in: "MAJ:MIN".</summary>
    public string Device => $"{Major}:{Minor}";
}

/// <summary>
/// What a container may use, as docker run's options and minimal_containers' keys give it, parsed and checked
/// (<see cref="ResourceOptions"/>): null or empty means no limit. Sizes are bytes; the cgroup's controllers
/// (one file per controller and cgroup version) turn these into what their files take.
/// </summary>
public sealed record ResourceLimits
{
    public static ResourceLimits None { get; } = new();

    /// <summary>Marks a swap limit as none at all (--memory-swap -1).</summary>
    public const long Unlimited = -1;

    public long? Memory { get; init; }

    /// <summary>Memory plus swap, as docker counts it; <see cref="Unlimited"/> for no swap limit; null: as much swap as memory.</summary>
    public long? MemorySwap { get; init; }

    public long? MemoryReservation { get; init; }

    /// <summary>CPU time per wall time: 0.5 is half of one CPU, containers-lite's 500 millicores.</summary>
    public decimal? Cpus { get; init; }

    /// <summary>The relative weight of v1's cpu.shares (2 to 262144, 1024 the kernel's default).</summary>
    public int? CpuShares { get; init; }

    /// <summary>The CPUs the container may run on, in the kernel's list form ("0-3,6").</summary>
    public string? CpusetCpus { get; init; }

    /// <summary>The most tasks the container may hold; <see cref="Unlimited"/> for none.</summary>
    public long? PidsLimit { get; init; }

    public IReadOnlyList<DeviceRate> DeviceReadBps { get; init; } = [];
    public IReadOnlyList<DeviceRate> DeviceWriteBps { get; init; } = [];
    public IReadOnlyList<DeviceRate> DeviceReadIops { get; init; } = [];
    public IReadOnlyList<DeviceRate> DeviceWriteIops { get; init; } = [];

    /// <summary>The relative weight of v1's blkio.weight (10 to 1000).</summary>
    public int? BlkioWeight { get; init; }

    /// <summary>The class id v1's net_cls tags the container's packets with (tc's MAJOR:MINOR as 0xMMMMmmmm).</summary>
    public uint? NetClassId { get; init; }

    /// <summary>
    /// The cgroup the container's cgroup is made in, instead of containet under containode's own: absolute from
    /// the root as /proc/self/cgroup names cgroups, or relative to containode's own.
    /// </summary>
    public string? CgroupParent { get; init; }

    /// <summary>The most the container's writable layer may hold (--storage-opt size=).</summary>
    public long? StorageSize { get; init; }

    public bool LimitsMemory => Memory is not null || MemorySwap is not null || MemoryReservation is not null;
    public bool LimitsCpu => Cpus is not null || CpuShares is not null;
    public bool LimitsIo => DeviceReadBps.Count + DeviceWriteBps.Count + DeviceReadIops.Count + DeviceWriteIops.Count > 0 || BlkioWeight is not null;

    /// <summary>Whether any of these is for a cgroup to enforce (all but the storage size), which only root may make.</summary>
    public bool NeedsCgroup => LimitsMemory || LimitsCpu || LimitsIo || CpusetCpus is not null || PidsLimit is not null || NetClassId is not null || CgroupParent is not null;

    /// <summary>docker's default when only --memory is given: as much swap again, so memory plus swap is twice the memory.</summary>
    public long? EffectiveMemorySwap => MemorySwap ?? (Memory is { } m ? 2 * m : null);
}
