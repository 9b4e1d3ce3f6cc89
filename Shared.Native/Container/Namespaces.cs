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

/// <summary>The names of namespaces as /proc/PID/ns spells them, for messages.</summary>
public static class NamespaceNames
{
    private static readonly (Namespaces Flag, string Name)[] Names =
    [
        (Namespaces.Mount, "mnt"), (Namespaces.Pid, "pid"), (Namespaces.Uts, "uts"), (Namespaces.Ipc, "ipc"),
        (Namespaces.Network, "net"), (Namespaces.Cgroup, "cgroup"), (Namespaces.User, "user"),
    ];

    /// <summary>"net", or "uts+ipc" for several: Enum.ToString of a flags enum reads its metadata by reflection, and a start names its namespaces in its plan.</summary>
    public static string Of(Namespaces namespaces)
    {
        var names = new List<string>(Names.Length);
        foreach (var (flag, name) in Names)
            if ((namespaces & flag) != 0) names.Add(name);
        return names.Count == 0 ? "none" : string.Join('+', names);
    }
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
