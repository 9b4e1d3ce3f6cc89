namespace Containode.Cgroups;

/// <summary>
/// One controller of the container's cgroup, set the way its hierarchy's version takes it: one implementation
/// per controller and version (V1Devices, V2Devices), chosen by <see cref="ContainerCgroup"/>.
/// </summary>
internal interface ICgroupController
{
    void Apply(CgroupSettings settings);
}
