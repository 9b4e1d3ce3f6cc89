using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Another process's namespaces, as /proc/PID/ns has them, for a process that joins them (exec).</summary>
public static class ProcessNamespaces
{
    /// <summary>Opens /proc/PID/ns/NAME (ipc, mnt, net, pid, uts, cgroup).</summary>
    public static SafeFd Open(int pid, string name)
    {
        var path = $"/proc/{pid}/ns/{name}";
        return SafeFd.Check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open", path);
    }

    /// <summary>
    /// Puts the children this process makes from now on into a pid namespace (setns CLONE_NEWPID changes only
    /// them): a clone can join no pid namespace itself. For a process that exists to start one child.
    /// </summary>
    public static void ChildrenInto(SafeFd pidNamespace) =>
        NativeException.Check(Libc.setns(pidNamespace, Libc.CLONE_NEWPID), "setns", "pid namespace");
}
