namespace Containode.Cgroups;

/// <summary>
/// The v1 cpuset controller. A new v1 cpuset starts with no CPUs and no memory nodes, and nothing can join it
/// until it has some (ENOSPC): each empty cpuset from the container's up to the first that has them is given
/// its parent's, top down, as runc does; then --cpuset-cpus narrows the container's.
/// </summary>
internal sealed class V1Cpuset(string directory, string mountPoint) : ICgroupController
{
    private static readonly string[] Files = ["cpuset.cpus", "cpuset.mems"];

    public void Apply(CgroupSettings settings)
    {
        Inherit(directory);
        if (settings.Resources.CpusetCpus is { } cpus) CgroupFile.Write(directory, "cpuset.cpus", cpus);
    }

    private void Inherit(string dir)
    {
        if (dir.Length <= mountPoint.Length || Files.All(f => CgroupFile.Read(dir, f).Trim().Length > 0)) return;
        var parent = Path.GetDirectoryName(dir)!;
        Inherit(parent);
        foreach (var f in Files)
            if (CgroupFile.Read(dir, f).Trim().Length == 0) CgroupFile.Write(dir, f, CgroupFile.Read(parent, f).Trim());
    }
}
