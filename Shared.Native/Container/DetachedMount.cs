using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A copy of a directory's mount that is attached nowhere yet (open_tree), to hand to a container's clone step. An
/// idmapped one shows the host's owners through a user namespace's maps: host root's files are the container
/// root's. Only root in the initial namespace may make one, and only on a filesystem that supports it.
/// </summary>
public static unsafe class DetachedMount
{
    public static SafeFd Clone(string source) =>
        SafeFd.Check((int)Libc.syscall_open_tree(Libc.SYS_open_tree, Libc.AT_FDCWD, source, Libc.OPEN_TREE_CLONE | (uint)Libc.O_CLOEXEC),
            "open_tree", source);

    /// <summary>
    /// A new read-only sysfs, attached nowhere: it shows the network namespace of the calling thread, so made on a
    /// thread inside a container's network namespace it shows that namespace's links.
    /// </summary>
    public static SafeFd Sysfs() =>
        Create("sysfs", null, Libc.MOUNT_ATTR_RDONLY | Libc.MOUNT_ATTR_NOSUID | Libc.MOUNT_ATTR_NODEV | Libc.MOUNT_ATTR_NOEXEC);

    /// <summary>
    /// A new filesystem of <paramref name="fsType"/> on <paramref name="source"/> (a block device; null for none),
    /// attached nowhere, with <paramref name="flags"/> set ("noinit_itable", each a key without a value). Made by
    /// the caller, it needs none of the device access the container's device cgroup would refuse its child.
    /// </summary>
    public static SafeFd Create(string fsType, string? source, uint attributes = 0, params string[] flags)
    {
        using var context = SafeFd.Check((int)Libc.syscall_fsopen(Libc.SYS_fsopen, fsType, Libc.FSOPEN_CLOEXEC), "fsopen", fsType);
        if (source is not null)
            NativeException.Check(Libc.syscall_fsconfig_set(Libc.SYS_fsconfig, context, Libc.FSCONFIG_SET_STRING, "source", source, 0), "fsconfig source", source);
        foreach (var flag in flags)
            NativeException.Check(Libc.syscall_fsconfig_set(Libc.SYS_fsconfig, context, Libc.FSCONFIG_SET_FLAG, flag, null, 0), "fsconfig " + flag, source ?? fsType);
        NativeException.Check(Libc.syscall_fsconfig(Libc.SYS_fsconfig, context, Libc.FSCONFIG_CMD_CREATE, 0, 0, 0), $"mount {fsType}", source ?? fsType);
        return SafeFd.Check((int)Libc.syscall_fsmount(Libc.SYS_fsmount, context, Libc.FSMOUNT_CLOEXEC, attributes), "fsmount", source ?? fsType);
    }

    /// <summary>An idmapped copy of <paramref name="source"/> through the maps of <paramref name="userNamespace"/>.</summary>
    public static SafeFd Idmapped(string source, SafeFd userNamespace)
    {
        var tree = Clone(source);
        var attr = new Libc.MountAttr { AttrSet = Libc.MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userNamespace.Number };
        if (Libc.syscall_mount_setattr(Libc.SYS_mount_setattr, tree, "", Libc.AT_EMPTY_PATH, &attr, (nuint)sizeof(Libc.MountAttr)) == 0)
            return tree;
        var e = NativeException.Last("mount_setattr MOUNT_ATTR_IDMAP", source);
        tree.Dispose();
        throw e;
    }
}
