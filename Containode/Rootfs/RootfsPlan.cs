using Containet.Native;

namespace Containode;

/// <summary>
/// The filesystem half of a container plan, in the order it must happen: propagation, the root (overlay, bind,
/// or the host's own root bound read-only), then everything inside it, resolved inside it by the kernel: bind
/// volumes, /proc, /sys, /dev and its nodes, /dev/pts, /dev/shm, /etc files; then pivot_root, and the masks.
/// </summary>
public static class RootfsPlan
{
    /// <param name="layer">With --storage-opt, the upper and work dirs' own filesystem in place of TOP's.</param>
    public static void Add(ContainerPlan plan, LaunchTarget target, TopDirectory? top, WritableLayer? layer, string runDir, IReadOnlyList<DeviceNodes.Node> devices,
        System.Net.IPAddress? nameserver)
    {
        var o = target.Spec;
        var imageRoot = target.Root;
        // Nothing mounted in the container may propagate back to the host.
        plan.Mount("", "/", "", MountFlags.Recursive | MountFlags.Slave);
        var root = plan.PathBelow(runDir, "rootfs");
        var users = plan.UserMapping is not null;
        if (imageRoot is null)
            plan.Mount("/", root, "", MountFlags.Bind | MountFlags.Recursive);
        else if (users)
            UserNamespaceRootfs.AddRoot(plan, imageRoot, o.NoOverlay ? null : top, runDir, root);
        else if (o.NoOverlay)
            plan.Mount(imageRoot, root, "", MountFlags.Bind | MountFlags.Recursive);
        else
        {
            layer?.AddTo(plan);
            var (upper, work) = layer is not null ? (layer.Upper, layer.Work) : (top!.Upper, top.Work);
            plan.Mount("overlay", root, "overlay", MountFlags.None, OverlayOptions(imageRoot, upper, work));
        }

        // From here every path is the container's, resolved inside its root: an image's symlinks and ".." stay in.
        plan.EnterRoot(root);
        var hostRootReadOnly = imageRoot is null && !o.ReadWriteHostRoot;
        if (hostRootReadOnly) plan.ReadOnly("/", recursive: true);
        foreach (var v in o.Volumes) AddVolume(plan, v);
        if (o.CommandFromHost) AddHostCommand(plan, target.Command[0]);
        AddKernelFilesystems(plan, o.Privileged, devices, users, ownNetwork: !o.ShareNetwork && plan.Network is null);
        if (o.Tty) plan.Console("/dev/console");
        if (hostRootReadOnly)
            foreach (var dir in (string[])["/tmp", "/run"])
                plan.Mount("tmpfs", dir, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, "mode=1777");
        if (imageRoot is not null) AddEtcFiles(plan, imageRoot, runDir, target.Name, ResolvConf.For(nameserver, o.ShareNetwork, ResolvConf.HostText()));
        if (o.ReadOnlyRoot) plan.ReadOnly("/", recursive: false);
        plan.PivotRoot(root);
        if (!o.Privileged) MaskedPaths.Add(plan);
    }

    /// <summary>A bind mount; an optional one (a config file's mount=) whose source is missing is warned about and left out.</summary>
    private static void AddVolume(ContainerPlan plan, Volume v)
    {
        if (v.Optional && !Path.Exists(v.Source))
        {
            Posix.WriteError($"containode: warning: mount {v}: {v.Source} does not exist; starting without it");
            return;
        }
        if (Directory.Exists(v.Source)) plan.MakeDirectory(v.Target, optional: v.Optional);
        else plan.Touch(v.Target, optional: v.Optional);
        plan.Mount(v.Source, v.Target, "", MountFlags.Bind | MountFlags.Recursive, optional: v.Optional);
        if (v.ReadOnly) plan.ReadOnly(v.Target, recursive: true);
    }

    /// <summary>A config file's init=@PATH: the host program, bound read-only at the same path inside.</summary>
    private static void AddHostCommand(ContainerPlan plan, string path)
    {
        plan.Touch(path);
        plan.Mount(path, path, "", MountFlags.Bind);
        plan.ReadOnly(path, recursive: false);
    }

    private static void AddKernelFilesystems(ContainerPlan plan, bool privileged, IReadOnlyList<DeviceNodes.Node> devices, bool users, bool ownNetwork)
    {
        plan.MakeDirectory("/proc");
        plan.Mount("proc", "/proc", "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        // sysfs shows the network namespace of whoever mounts it: the container's eth0, not the host's links.
        plan.MakeDirectory("/sys");
        if (users && !ownNetwork) UserNamespaceRootfs.AddSys(plan);
        else plan.Mount("sysfs", "/sys", "sysfs", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | (privileged ? 0 : MountFlags.ReadOnly));
        plan.MakeDirectory("/dev");
        plan.Mount("tmpfs", "/dev", "tmpfs", MountFlags.NoSuid, "mode=755,size=65536k");
        foreach (var node in devices)
        {
            if (users) UserNamespaceRootfs.AddDevice(plan, node);
            else plan.Device(node.Path, node.Type, node.Mode, node.Major, node.Minor);
        }
        plan.MakeDirectory("/dev/pts");
        plan.Mount("devpts", "/dev/pts", "devpts", MountFlags.NoSuid | MountFlags.NoExec, "newinstance,ptmxmode=0666,mode=0620");
        plan.Symlink("pts/ptmx", "/dev/ptmx");
        plan.MakeDirectory("/dev/shm", Mode.O1777);
        plan.Mount("shm", "/dev/shm", "tmpfs", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, "mode=1777,size=65536k");
        foreach (var (link, target) in DeviceNodes.Links)
            plan.Symlink(target, "/dev/" + link);
    }

    /// <summary>
    /// /etc/hostname, /etc/hosts and /etc/resolv.conf are bind-mounted from the run dir, as Docker does, so the image
    /// and TOP keep their own; /etc/mtab points at /proc/mounts when the root has none. All optional: a root without
    /// /etc runs too.
    /// </summary>
    private static void AddEtcFiles(ContainerPlan plan, string imageRoot, string runDir, string identity, string resolvConf)
    {
        SmallFile.Write(Path.Combine(runDir, "hostname"), identity + "\n");
        SmallFile.Write(Path.Combine(runDir, "hosts"), $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{identity}\n");
        SmallFile.Write(ResolvConf.InRunDir(runDir), resolvConf);
        foreach (var name in (string[])["hostname", "hosts", "resolv.conf"])
        {
            plan.Touch("/etc/" + name, optional: true);
            plan.Mount(plan.PathBelow(runDir, name), "/etc/" + name, "", MountFlags.Bind, optional: true);
        }
        if (Posix.TypeOf(Path.Combine(imageRoot, "etc", "mtab")) == Posix.FileType.Missing)
            plan.Symlink("/proc/mounts", "/etc/mtab", optional: true);
    }

    public static string OverlayOptions(string lower, string upper, string work) =>
        $"lowerdir={Escape(lower)},upperdir={Escape(upper)},workdir={Escape(work)}";

    // overlayfs splits its options on commas and treats ':' as a lowerdir separator.
    private static string Escape(string path) => path.Replace("\\", "\\\\").Replace(",", "\\,").Replace(":", "\\:");
}
