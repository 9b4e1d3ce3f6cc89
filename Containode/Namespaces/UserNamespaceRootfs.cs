using Containet.Native;

namespace Containode;

/// <summary>
/// What changes in a container's filesystem when it has a user namespace of its own. Its root is root only in that
/// namespace: the image is handed over as an idmapped mount (host root's files are its root's), TOP as a copy of its
/// mount, since the child may not reach the paths (the image store is 0700); the overlay is mounted inside with
/// userxattr, because trusted.* xattrs are the host root's. TOP's upper and work dirs belong to the container's root,
/// so what it creates is owned on the host by that uid. Device nodes are the host's, bound: a user namespace may
/// not make any. sysfs of a network namespace it does not own cannot be mounted there: the launcher makes the
/// switch's namespace's and hands it over, and with -N the host's is bound read-only.
/// </summary>
public static class UserNamespaceRootfs
{
    /// <summary>Gives TOP's upper and work dirs to the container's root on the host.</summary>
    public static void PrepareTop(TopDirectory top, IdMapping mapping)
    {
        var (uid, gid) = mapping.HostRoot ?? throw new UsageException("the container's root must be mapped");
        foreach (var dir in (string[])[top.Upper, top.Work])
            FileNodes.Lchown(dir, (int)uid, (int)gid);
    }

    public static void AddRoot(ContainerPlan plan, string image, TopDirectory? top, string runDir, string root)
    {
        // A user cannot copy mounts (open_tree) nor idmap them: the child mounts the user's own paths itself.
        if (!Posix.IsRoot)
        {
            if (top is null) plan.Mount(image, root, "", MountFlags.Bind | MountFlags.Recursive);
            else plan.Mount("overlay", root, "overlay", MountFlags.None, RootfsPlan.OverlayOptions(image, top.Upper, top.Work) + ",userxattr");
            return;
        }
        if (top is null)
        {
            plan.AttachMount(image, root, idmapped: true);
            return;
        }
        Directory.CreateDirectory(Path.Combine(runDir, "lower"));
        Directory.CreateDirectory(Path.Combine(runDir, "top"));
        plan.AttachMount(image, plan.PathBelow(runDir, "lower"), idmapped: true);
        plan.AttachMount(top.Path, plan.PathBelow(runDir, "top"), idmapped: false);
        plan.Mount("overlay", root, "overlay", MountFlags.None,
            RootfsPlan.OverlayOptions(plan.PathBelow(runDir, "lower"), plan.PathBelow(runDir, "top/root"), plan.PathBelow(runDir, "top/work")) + ",userxattr");
    }

    public static void AddDevice(ContainerPlan plan, DeviceNodes.Node node)
    {
        plan.Touch(node.Path);
        plan.Mount(node.Source, node.Path, "", MountFlags.Bind);
    }

    /// <summary>/sys for a network namespace the container does not own: the joined one's, or the host's own with -N.</summary>
    public static void AddSys(ContainerPlan plan)
    {
        if (plan.Network is not null && Posix.IsRoot)
        {
            plan.AttachNetworkSysfs("/sys");
            return;
        }
        plan.Mount("/sys", "/sys", "", MountFlags.Bind | MountFlags.Recursive);
        plan.ReadOnly("/sys", recursive: true);
    }
}
