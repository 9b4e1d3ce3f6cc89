using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// The v1 devices controller: "a" into devices.deny drops everything the new cgroup inherited, then each
/// rule goes, in order, into devices.allow or devices.deny, one write per rule as the kernel wants.
/// </summary>
internal sealed class V1Devices(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        FileNodes.WriteValues(Path.Combine(directory, "devices.deny"), ["a"]);
        foreach (var rule in settings.Devices)
            FileNodes.WriteValues(Path.Combine(directory, rule.Allow ? "devices.allow" : "devices.deny"), [rule.ToString()]);
    }
}
