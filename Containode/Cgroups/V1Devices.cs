using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// The v1 devices controller: "a" into devices.deny drops everything the new cgroup inherited, then each
/// rule goes, in order, into devices.allow or devices.deny.
/// </summary>
internal sealed class V1Devices(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        using var allow = KernelFile.Open(Path.Combine(directory, "devices.allow"));
        using var deny = KernelFile.Open(Path.Combine(directory, "devices.deny"));
        deny.Write("a");
        foreach (var rule in settings.Devices) (rule.Allow ? allow : deny).Write(rule.ToString());
    }
}
