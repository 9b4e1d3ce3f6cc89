using Containet.Native;

namespace Containode;

/// <summary>
/// The filesystem half of a container plan, in the order it must happen: propagation, root (overlay or
/// bind), bind volumes, /proc, /dev and its nodes, /dev/pts, /dev/shm, /etc files, then pivot_root.
/// Without a root the host's stays, with a fresh /proc, /dev and /dev/pts seen only inside.
/// </summary>
public static class RootfsPlan
{
    public static void Add(ContainerPlan plan, LaunchOptions o, TopDirectory? top, string runDir, string identity)
    {
        // Nothing mounted in the container may propagate back to the host.
        plan.Mount("", "/", "", MountFlags.Recursive | MountFlags.Slave);
        var root = "/";
        if (o.Root is not null)
        {
            root = Path.Combine(runDir, "rootfs");
            if (o.NoOverlay)
                plan.Mount(o.Root, root, "", MountFlags.Bind | MountFlags.Recursive);
            else
                plan.Mount("overlay", root, "overlay", MountFlags.None, $"lowerdir={Escape(o.Root)},upperdir={Escape(top!.Upper)},workdir={Escape(top.Work)}");
        }
        foreach (var v in o.Volumes) AddVolume(plan, root, Volume.Parse(v));
        AddKernelFilesystems(plan, root);
        if (o.Root is not null)
        {
            AddEtcFiles(plan, o.Root, root, runDir, identity);
            plan.PivotRoot(root);
        }
    }

    private static void AddVolume(ContainerPlan plan, string root, Volume v)
    {
        var target = Inside(root, v.Target);
        if (Directory.Exists(v.Source)) plan.MakeDirectory(target);
        else plan.Touch(target);
        plan.Mount(v.Source, target, "", MountFlags.Bind | MountFlags.Recursive);
        if (v.ReadOnly)
            plan.Mount("", target, "", MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.Recursive);
    }

    private static void AddKernelFilesystems(ContainerPlan plan, string root)
    {
        var proc = Inside(root, "/proc");
        plan.MakeDirectory(proc);
        plan.Mount("proc", proc, "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        var dev = Inside(root, "/dev");
        plan.MakeDirectory(dev);
        plan.Mount("tmpfs", dev, "tmpfs", MountFlags.NoSuid, "mode=755,size=65536k");
        foreach (var node in DeviceNodes.Standard)
            plan.CharDevice(Path.Combine(dev, node.Name), node.Mode, node.Major, node.Minor);
        plan.MakeDirectory(Path.Combine(dev, "pts"));
        plan.Mount("devpts", Path.Combine(dev, "pts"), "devpts", MountFlags.NoSuid | MountFlags.NoExec, "newinstance,ptmxmode=0666,mode=0620");
        plan.Symlink("pts/ptmx", Path.Combine(dev, "ptmx"));
        plan.MakeDirectory(Path.Combine(dev, "shm"), 0x3ff /* 1777 */);
        plan.Mount("shm", Path.Combine(dev, "shm"), "tmpfs", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, "mode=1777,size=65536k");
        foreach (var (link, target) in DeviceNodes.Links)
            plan.Symlink(target, Path.Combine(dev, link));
    }

    /// <summary>
    /// /etc/hostname and /etc/hosts are bind-mounted from the run dir, as Docker does, so the image and TOP keep
    /// their own; /etc/mtab points at /proc/mounts when the root has none. All optional: a root without /etc runs too.
    /// </summary>
    private static void AddEtcFiles(ContainerPlan plan, string imageRoot, string root, string runDir, string identity)
    {
        if (!Directory.Exists(Path.Combine(imageRoot, "etc"))) return;
        File.WriteAllText(Path.Combine(runDir, "hostname"), identity + "\n");
        File.WriteAllText(Path.Combine(runDir, "hosts"), $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{identity}\n");
        foreach (var name in (string[])["hostname", "hosts"])
        {
            var target = Inside(root, "/etc/" + name);
            plan.Touch(target, optional: true);
            plan.Mount(Path.Combine(runDir, name), target, "", MountFlags.Bind, optional: true);
        }
        if (!Path.Exists(Path.Combine(imageRoot, "etc", "mtab")))
            plan.Symlink("/proc/mounts", Inside(root, "/etc/mtab"), optional: true);
    }

    private static string Inside(string root, string path) => root == "/" ? path : root + "/" + path.TrimStart('/');

    // overlayfs splits its options on commas and treats ':' as a lowerdir separator.
    private static string Escape(string path) => path.Replace("\\", "\\\\").Replace(",", "\\,").Replace(":", "\\:");
}
