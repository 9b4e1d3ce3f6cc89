namespace Containode.Cgroups;

/// <summary>What a container's cgroup enforces; the resource limits join the device rules here.</summary>
public sealed record CgroupSettings(IReadOnlyList<DeviceRule> Devices);
