using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>The namespaces a container gets (clone flags).</summary>
[Flags]
public enum Namespaces
{
    None = 0,
    Mount = Libc.CLONE_NEWNS,
    Pid = Libc.CLONE_NEWPID,
    Uts = Libc.CLONE_NEWUTS,
    Ipc = Libc.CLONE_NEWIPC,
    Network = Libc.CLONE_NEWNET,
    Cgroup = Libc.CLONE_NEWCGROUP,
    User = Libc.CLONE_NEWUSER,
}

/// <summary>mount(2) flags the plan uses.</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = Libc.MS_RDONLY,
    NoSuid = Libc.MS_NOSUID,
    NoDev = Libc.MS_NODEV,
    NoExec = Libc.MS_NOEXEC,
    Remount = Libc.MS_REMOUNT,
    Bind = Libc.MS_BIND,
    Recursive = Libc.MS_REC,
    Private = Libc.MS_PRIVATE,
    Slave = Libc.MS_SLAVE,
}
