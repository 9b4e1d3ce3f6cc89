namespace Containode.Cgroups;

/// <summary>The v1 cpuset controller: --cpuset-cpus narrows the CPUs the container's cpuset got from its parent.</summary>
internal sealed class V1Cpuset(string directory) : ICgroupController
{
    private static readonly string[] Files = ["cpuset.cpus", "cpuset.mems"];

    public void Apply(CgroupSettings settings)
    {
        if (settings.Resources.CpusetCpus is { } cpus) CgroupFile.Write(directory, "cpuset.cpus", cpus);
    }

    /// <summary>
    /// A new v1 cpuset starts with no CPUs and no memory nodes, and nothing can join it until it has some
    /// (ENOSPC): each empty cpuset from <paramref name="dir"/> up to the first that has them is given its
    /// parent's, top down, as runc does.
    /// </summary>
    public static void Inherit(string dir, string mountPoint)
    {
        if (dir.Length <= mountPoint.Length || Files.All(f => CgroupFile.Read(dir, f).Trim().Length > 0)) return;
        var parent = Path.GetDirectoryName(dir)!;
        Inherit(parent, mountPoint);
        foreach (var f in Files)
            if (CgroupFile.Read(dir, f).Trim().Length == 0) CgroupFile.Write(dir, f, CgroupFile.Read(parent, f).Trim());
    }
}
