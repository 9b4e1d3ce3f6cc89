using Containet.Native;

namespace Containode;

/// <summary>
/// The namespaces a container's first process is cloned with: its own mount, pid and uts unless the host's are
/// asked for (--pid host, --uts host); ipc unless shared (-I); network unless shared (-N) or joined (a namespace
/// the switch or the launcher made). The cgroup, time and user namespaces come in the plan's own steps.
/// </summary>
public static class NamespaceSet
{
    public static Namespaces ClonedWith(ContainerSpec spec, bool joinsNetwork) =>
        ((Namespaces.Mount | Namespaces.Pid | Namespaces.Uts) & ~spec.Namespaces.Host)
        | (spec.ShareIpc ? 0 : Namespaces.Ipc)
        | (spec.ShareNetwork || joinsNetwork ? 0 : Namespaces.Network);
}
