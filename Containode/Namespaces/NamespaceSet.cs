using Containet.Native;

namespace Containode;

/// <summary>
/// The namespaces a container's first process is cloned with: always its own mount, pid and uts; ipc unless
/// shared (-I); network unless shared (-N) or joined (a namespace the switch or the launcher made). The cgroup
/// namespace comes later in the plan, once the process is in its cgroup.
/// </summary>
public static class NamespaceSet
{
    public static Namespaces ClonedWith(ContainerSpec spec, bool joinsNetwork) =>
        Namespaces.Mount | Namespaces.Pid | Namespaces.Uts
        | (spec.ShareIpc ? 0 : Namespaces.Ipc)
        | (spec.ShareNetwork || joinsNetwork ? 0 : Namespaces.Network);
}
