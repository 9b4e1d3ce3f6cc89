namespace Containode.Cgroups;

/// <summary>What a container's cgroup enforces: device rules, and the resource limits (none unless given).</summary>
public sealed record CgroupSettings(IReadOnlyList<DeviceRule> Devices)
{
    public ResourceLimits Resources { get; init; } = ResourceLimits.None;
}
