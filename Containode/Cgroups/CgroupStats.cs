using System.Globalization;

namespace Containode.Cgroups;

/// <summary>What a container has used so far, as its cgroup counts it; null where this host's cgroups do not count it.</summary>
public sealed record CgroupUsage(long? CpuNanoseconds, long? Memory, long? MemoryLimit, long? Pids, long? BlockRead, long? BlockWrite, long? OomKills);

/// <summary>
/// Reads a container's usage from its cgroup directories (<see cref="ContainerCgroup.ByController"/>), as docker
/// stats does: CPU time from cpuacct.usage or cpu.stat, memory in use less the page cache the kernel can drop
/// at once (inactive files), the limit (the host's memory when there is none), tasks, and bytes read and
/// written on block devices. Each v1 controller is read where mounted, the rest from the unified directory.
/// </summary>
public static class CgroupStats
{
    /// <summary>The key of the v2 directory among the v1 controllers' names.</summary>
    public const string Unified = "unified";

    /// <summary>A v1 memory limit at or above this is none: the kernel writes "no limit" as the largest page-aligned long.</summary>
    private const long NoV1Limit = long.MaxValue / 2;

    public static CgroupUsage Read(IReadOnlyDictionary<string, string> directories)
    {
        var v2 = directories.GetValueOrDefault(Unified);
        var cpuacct = directories.GetValueOrDefault("cpuacct");
        var memory = directories.GetValueOrDefault("memory");
        var pids = directories.GetValueOrDefault("pids") ?? v2;
        var blkio = directories.GetValueOrDefault("blkio");

        long? cpu = cpuacct is not null ? Number(cpuacct, "cpuacct.usage")
            : v2 is not null ? CgroupFile.ReadKey(v2, "cpu.stat", "usage_usec") * 1000 : null;
        var (used, limit, oom) = memory is not null ? V1Memory(memory) : v2 is not null ? V2Memory(v2) : (null, null, null);
        var (read, written) = blkio is not null ? V1Block(blkio) : v2 is not null ? V2Block(v2) : (null, null);
        return new CgroupUsage(cpu, used, limit ?? HostMemory(), pids is null ? null : Number(pids, "pids.current"), read, written, oom);
    }

    /// <summary>The share of one CPU used between two readings: 200 is two CPUs busy throughout.</summary>
    public static double? CpuPercent(long? before, long? after, TimeSpan elapsed) =>
        before is { } b && after is { } a && elapsed > TimeSpan.Zero ? Math.Max(0, a - b) / (elapsed.TotalMilliseconds * 1e6) * 100 : null;

    private static (long?, long?, long?) V1Memory(string dir)
    {
        var usage = Number(dir, "memory.usage_in_bytes") - (CgroupFile.ReadKey(dir, "memory.stat", "total_inactive_file") ?? 0);
        var limit = Number(dir, "memory.limit_in_bytes");
        return (usage, limit >= NoV1Limit ? null : limit, CgroupFile.ReadKey(dir, "memory.oom_control", "oom_kill"));
    }

    private static (long?, long?, long?) V2Memory(string dir)
    {
        if (!CgroupFile.Exists(dir, "memory.current")) return (null, null, null);
        var usage = Number(dir, "memory.current") - (CgroupFile.ReadKey(dir, "memory.stat", "inactive_file") ?? 0);
        var max = CgroupFile.Read(dir, "memory.max").Trim();
        return (usage, max == "max" ? null : long.Parse(max, CultureInfo.InvariantCulture), CgroupFile.ReadKey(dir, "memory.events", "oom_kill"));
    }

    /// <summary>blkio's "MAJ:MIN Read N" and "MAJ:MIN Write N" lines, summed over the devices.</summary>
    private static (long?, long?) V1Block(string dir)
    {
        const string File = "blkio.throttle.io_service_bytes_recursive";
        if (!CgroupFile.Exists(dir, File)) return (null, null);
        long read = 0, written = 0;
        foreach (var line in CgroupFile.Read(dir, File).Split('\n'))
        {
            var f = line.Split(' ');
            if (f.Length != 3 || !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) continue;
            if (f[1] == "Read") read += n;
            else if (f[1] == "Write") written += n;
        }
        return (read, written);
    }

    /// <summary>io.stat's "MAJ:MIN rbytes=N wbytes=N ..." lines, summed over the devices.</summary>
    private static (long?, long?) V2Block(string dir)
    {
        if (!CgroupFile.Exists(dir, "io.stat")) return (null, null);
        long read = 0, written = 0;
        foreach (var field in CgroupFile.Read(dir, "io.stat").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=');
            if (eq < 0 || !long.TryParse(field.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) continue;
            if (field.StartsWith("rbytes=", StringComparison.Ordinal)) read += n;
            else if (field.StartsWith("wbytes=", StringComparison.Ordinal)) written += n;
        }
        return (read, written);
    }

    private static long? HostMemory()
    {
        var kb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? null : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
    }

    private static long? Number(string dir, string name) =>
        CgroupFile.Exists(dir, name) && long.TryParse(CgroupFile.Read(dir, name).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
