using Containet.Native;

namespace Containode;

/// <summary>Containers are root's: namespaces, mounts, cgroups and TAP devices need it, and so do their state directories.</summary>
public static class Privileges
{
    public static void RequireRoot()
    {
        if (!Posix.IsRoot) throw new LaunchException("must be run as root (namespaces, mounts and TAP devices need it)");
    }
}
