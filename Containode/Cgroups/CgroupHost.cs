using Containet.Native;
namespace Containode.Cgroups;

/// <summary>
/// Which cgroup hierarchies this host has and where this process sits in each: v1 controllers each in their
/// own hierarchy, the unified (v2) hierarchy, or both on a hybrid host. Read from /proc/self/mountinfo and
/// /proc/self/cgroup; tests hand in their own files to describe a fake cgroupfs.
/// </summary>
public sealed class CgroupHost
{
    public const string MountInfoFile = "/proc/self/mountinfo", OwnCgroupsFile = "/proc/self/cgroup";

    /// <summary>Each mounted v1 controller (and named hierarchy, "name=systemd") with its hierarchy.</summary>
    public IReadOnlyDictionary<string, CgroupHierarchy> V1 { get; }

    /// <summary>The cgroup2 hierarchy, when one is mounted where this process can see its own cgroup.</summary>
    public CgroupHierarchy? Unified { get; }

    private CgroupHost(IReadOnlyDictionary<string, CgroupHierarchy> v1, CgroupHierarchy? unified)
    {
        V1 = v1;
        Unified = unified;
    }

    public static CgroupHost Detect(string mountInfoFile = MountInfoFile, string ownCgroupsFile = OwnCgroupsFile) =>
        Parse(SmallFile.Read(mountInfoFile), SmallFile.Read(ownCgroupsFile), ownCgroupsFile);

    /// <summary>
    /// Pairs each line of /proc/self/cgroup ("ID:CONTROLLERS:PATH"; "0::PATH" for v2) with a mount of its
    /// hierarchy that shows PATH. A hierarchy without such a mount is left out; a PATH that is not a plain
    /// path (the kernel writes "/.." for a cgroup outside the process's cgroup namespace) is an error, since
    /// containers cannot be placed under it.
    /// </summary>
    internal static CgroupHost Parse(string mountInfo, string ownCgroups, string ownCgroupsFile = OwnCgroupsFile)
    {
        var mounts = MountInfo.Parse(mountInfo);
        var v1 = new Dictionary<string, CgroupHierarchy>();
        CgroupHierarchy? unified = null;
        foreach (var line in ownCgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            var (controllers, own) = (parts[1], parts[2]);
            var isUnified = parts[0] == "0" && controllers.Length == 0;
            var names = controllers.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!isUnified && names.Length == 0) continue;
            foreach (var m in mounts)
            {
                var matches = isUnified ? m.FsType == "cgroup2" : m.FsType == "cgroup" && names.All(m.SuperOptions.Contains);
                if (!matches) continue;
                if (!CgroupHierarchy.IsPlain(own))
                    throw new LaunchException($"containode's own cgroup '{own}' ({ownCgroupsFile}) lies outside its cgroup namespace: containers cannot be placed under it");
                var hierarchy = new CgroupHierarchy(m.MountPoint, m.Root, own);
                if (hierarchy.DirectoryOf(own) is null) continue;
                if (isUnified) unified = hierarchy;
                else foreach (var name in names) v1[name] = hierarchy;
                break;
            }
        }
        return new CgroupHost(v1, unified);
    }
}
