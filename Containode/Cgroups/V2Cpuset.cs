namespace Containode.Cgroups;

/// <summary>The v2 cpuset controller: an empty v2 cpuset uses its parent's CPUs, so only --cpuset-cpus is written.</summary>
internal sealed class V2Cpuset(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        if (settings.Resources.CpusetCpus is { } cpus) CgroupFile.Write(directory, "cpuset.cpus", cpus);
    }
}
