namespace Containode.Cgroups;

/// <summary>What a container's cgroup enforces; the resource limits join the device rules here.</summary>
public sealed record CgroupSettings(IReadOnlyList<DeviceRule> Devices);

/// <summary>One controller of the container's cgroup, set the way its hierarchy's version takes it.</summary>
internal interface ICgroupController
{
    void Apply(CgroupSettings settings);
}
