using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A filesystem mounted nowhere yet (fsopen, fsconfig, fsmount): its fd is the mount, which a container plan
/// attaches inside the child's mount namespace (<see cref="ContainerPlan.AttachMount"/>). The mount is made by
/// the caller, outside the container's device cgroup, which would refuse it the block device; and it is never
/// in the host's mount table: if nothing attaches it, it goes when the fd closes.
/// </summary>
public sealed class DetachedMount : IDisposable
{
    public SafeFd Fd { get; }

    private DetachedMount(SafeFd fd) => Fd = fd;

    /// <param name="flags">Filesystem flags to set ("noinit_itable"), each a key without a value.</param>
    public static DetachedMount Create(string fsType, string source, params string[] flags)
    {
        using var context = SafeFd.Check(Libc.fsopen(fsType, Libc.FSOPEN_CLOEXEC), "fsopen", fsType);
        NativeException.Check(Libc.fsconfig(context, Libc.FSCONFIG_SET_STRING, "source", source, 0), "fsconfig source", source);
        foreach (var flag in flags) NativeException.Check(Libc.fsconfig(context, Libc.FSCONFIG_SET_FLAG, flag, null, 0), "fsconfig " + flag, source);
        NativeException.Check(Libc.fsconfig(context, Libc.FSCONFIG_CMD_CREATE, null, null, 0), $"mount {fsType}", source);
        return new DetachedMount(SafeFd.Check(Libc.fsmount(context, Libc.FSMOUNT_CLOEXEC, 0), "fsmount", source));
    }

    /// <summary>mkdir(2) of a directory at the mount's root.</summary>
    public void MakeDirectory(string name, uint permissions) =>
        NativeException.Check(Libc.mkdirat(Fd, name, permissions & 0xfff), "mkdirat", name);

    public void Dispose() => Fd.Dispose();
}
