using Containet.Native;

namespace Containode;

/// <summary>
/// What a container must not see or change of the kernel's files, as Docker's defaults have it: files that
/// leak host memory or state are covered with /dev/null, directories with an empty read-only tmpfs, and the
/// kernel's knobs are read-only. Applied after pivot_root, so every path is the container's own. A path this
/// kernel lacks is skipped.
/// </summary>
public static class MaskedPaths
{
    public static readonly string[] Files =
        ["/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug"];

    public static readonly string[] Directories = ["/proc/acpi", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"];

    public static readonly string[] ReadOnly = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static void Add(ContainerPlan plan)
    {
        foreach (var file in Files)
            plan.Mount("/dev/null", file, "", MountFlags.Bind, ifExists: true);
        foreach (var dir in Directories)
            plan.Mount("tmpfs", dir, "tmpfs", MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, ifExists: true);
        foreach (var path in ReadOnly)
        {
            plan.Mount(path, path, "", MountFlags.Bind | MountFlags.Recursive, ifExists: true);
            plan.ReadOnly(path, recursive: true, ifExists: true);
        }
    }
}
