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
