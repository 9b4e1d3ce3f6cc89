using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// Devices on cgroup v2, which has no devices controller: a device program compiled from the rules and
/// attached to the container's cgroup, where it stays until the cgroup is removed.
/// </summary>
internal sealed class V2Devices(SafeFd directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        using var program = CgroupDeviceProgram.Load(DeviceProgram.Build(settings.Devices));
        CgroupDeviceProgram.Attach(program, directory);
    }
}
