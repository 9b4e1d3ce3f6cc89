using Mocker;
using System.Globalization;
using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// The resource options of docker run and the keys of minimal_containers' config files, each value parsed into
/// <see cref="ResourceLimits"/>. A value that cannot be right (unparseable, negative, out of the kernel's range,
/// a device that does not exist) is a <see cref="UsageException"/> that names the option, found before anything
/// is made; <see cref="Check"/> does the checks that need every option at once.
/// </summary>
public static class ResourceOptions
{
    /// <summary>docker's floor: below it a container's own start-up does not fit, so it could not run at all.</summary>
    public const long MinMemory = 6 << 20;

    /// <summary>The kernel takes CFS quotas from 1 ms; with the 100 ms period that is 0.01 CPUs.</summary>
    public const long CpuPeriodMicros = 100_000;

    /// <summary>The smallest writable layer: an ext4 image below this holds little more than its own metadata.</summary>
    public const long MinStorageSize = 1 << 20;

    /// <summary>The option names, long and short, with what each takes; <see cref="CommandLine"/> hands their values here.</summary>
    public static IReadOnlyList<(string Name, string? Short, string Value, string Description)> Options { get; } =
    [
        ("--memory", "-m", "BYTES", "memory limit (k, m, g suffixes)"),
        ("--memory-swap", null, "BYTES", "memory plus swap (-1: no swap limit; default: twice --memory)"),
        ("--memory-reservation", null, "BYTES", "memory the container is left when the host runs short"),
        ("--cpus", null, "N.NN", "CPU time per wall time (0.5: half a CPU)"),
        ("--cpu-shares", null, "N", "relative CPU weight, 2 to 262144 (default 1024)"),
        ("--cpuset-cpus", null, "LIST", "CPUs the container may use (0-3,6)"),
        ("--pids-limit", null, "N", "most processes and threads (-1: no limit)"),
        ("--device-read-bps", null, "PATH:RATE", "read bytes per second from a block device (/dev/vda:8mb)"),
        ("--device-write-bps", null, "PATH:RATE", "write bytes per second to a block device"),
        ("--device-read-iops", null, "PATH:N", "read operations per second from a block device"),
        ("--device-write-iops", null, "PATH:N", "write operations per second to a block device"),
        ("--blkio-weight", null, "N", "relative block I/O weight, 10 to 1000"),
        ("--net-classid", null, "ID", "net_cls class id of the container's packets (cgroup v1 only)"),
        ("--cgroup-parent", null, "PATH", "cgroup to make the container's cgroup in (default: containode's own/containet)"),
        ("--storage-opt", null, "size=SIZE", "the container's writable layer: at most SIZE, in an image that goes with the container"),
    ];

    /// <summary>minimal_containers' config keys and the option each stands for; iops_limit and io_bw_limit set reading and writing alike.</summary>
    private static readonly Dictionary<string, string> ConfigKeys = new()
    {
        ["max_physical_memory"] = "--memory",
        ["max_memory"] = "--memory-swap",
        ["cpu_share"] = "--cpu-shares",
        ["net_classid"] = "--net-classid",
    };

    public static bool Takes(string option) => Options.Any(o => o.Name == option || o.Short == option);

    /// <summary>The limits with one option's value applied; a later value for the same setting (or device) replaces the earlier.</summary>
    public static ResourceLimits Apply(ResourceLimits limits, string option, string value)
    {
        var name = Options.FirstOrDefault(o => o.Short == option).Name ?? option;
        return name switch
        {
            "--memory" => limits with { Memory = Size(name, value) },
            "--memory-swap" => limits with { MemorySwap = value == "-1" ? ResourceLimits.Unlimited : Size(name, value) },
            "--memory-reservation" => limits with { MemoryReservation = Size(name, value) },
            "--cpus" => limits with { Cpus = Cpus(value) },
            "--cpu-shares" => limits with { CpuShares = (int)Number(name, value, 2, 262144) },
            "--cpuset-cpus" => limits with { CpusetCpus = CpusetCpus(value) },
            "--pids-limit" => limits with { PidsLimit = value == "-1" ? ResourceLimits.Unlimited : Number(name, value, 1, long.MaxValue) },
            "--device-read-bps" => limits with { DeviceReadBps = Set(limits.DeviceReadBps, Throttle(name, value, bytes: true)) },
            "--device-write-bps" => limits with { DeviceWriteBps = Set(limits.DeviceWriteBps, Throttle(name, value, bytes: true)) },
            "--device-read-iops" => limits with { DeviceReadIops = Set(limits.DeviceReadIops, Throttle(name, value, bytes: false)) },
            "--device-write-iops" => limits with { DeviceWriteIops = Set(limits.DeviceWriteIops, Throttle(name, value, bytes: false)) },
            "--blkio-weight" => limits with { BlkioWeight = (int)Number(name, value, 10, 1000) },
            "--net-classid" => limits with { NetClassId = ClassId(value) },
            "--cgroup-parent" => limits with { CgroupParent = CgroupParent(value) },
            "--storage-opt" => limits with { StorageSize = StorageSize(value) },
            _ => throw new ArgumentException($"{option} is not a resource option", nameof(option)),
        };
    }

    /// <summary>
    /// One key of a config file: minimal_containers' (max_physical_memory, max_memory, cpu_share, net_classid,
    /// iops_limit and io_bw_limit as "MAJ:MIN N") or a docker option's name without its dashes, '_' or '-'
    /// between words (memory_swap, pids-limit). Null when the key is none of these, so other keys can be tried.
    /// </summary>
    public static ResourceLimits? ApplyConfigKey(ResourceLimits limits, string key, string value)
    {
        var option = ConfigKeys.GetValueOrDefault(key) ?? "--" + key.Replace('_', '-');
        if (key is "iops_limit" or "io_bw_limit")
        {
            var bytes = key == "io_bw_limit";
            var rate = NumberedThrottle(key, value, bytes);
            return bytes
                ? limits with { DeviceReadBps = Set(limits.DeviceReadBps, rate), DeviceWriteBps = Set(limits.DeviceWriteBps, rate) }
                : limits with { DeviceReadIops = Set(limits.DeviceReadIops, rate), DeviceWriteIops = Set(limits.DeviceWriteIops, rate) };
        }
        return key.StartsWith('-') || !Options.Any(o => o.Name == option) ? null : Apply(limits, option, value.Trim());
    }

    /// <summary>What only all options together can tell, as docker checks it: swap and reservation against memory, CPUs the host has.</summary>
    public static void Check(ResourceLimits limits, int? hostCpus = null)
    {
        if (limits.MemorySwap is not null && limits.Memory is null)
            throw new UsageException("--memory-swap needs --memory: memory plus swap is counted from the memory limit");
        if (limits.MemorySwap is { } swap and not ResourceLimits.Unlimited && swap < limits.Memory)
            throw new UsageException($"--memory-swap ({ByteSize.Format(swap)}) is memory plus swap, so it cannot be below --memory ({ByteSize.Format(limits.Memory!.Value)})");
        if (limits.MemoryReservation > limits.Memory)
            throw new UsageException($"--memory-reservation ({ByteSize.Format(limits.MemoryReservation!.Value)}) cannot be above --memory ({ByteSize.Format(limits.Memory!.Value)})");
        var cpus = hostCpus ?? Environment.ProcessorCount;
        if (limits.Cpus > cpus)
            throw new UsageException($"--cpus {limits.Cpus}: this host has {cpus} CPU{(cpus == 1 ? "" : "s")}");
    }

    private static long Size(string option, string value)
    {
        var bytes = ByteSize.Parse(value)
            ?? throw new UsageException($"{option} takes a size in bytes, with a k, m or g suffix: '{value}' is none");
        if (option is "--memory" or "--memory-swap" && bytes < MinMemory)
            throw new UsageException($"{option} {value} is below the least a container needs to start ({ByteSize.Format(MinMemory)})");
        return bytes;
    }

    private static long Number(string option, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new UsageException($"{option} takes a whole number from {min} to {(max == long.MaxValue ? "any" : max)}: '{value}' is none");
        return n;
    }

    private static decimal Cpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus) || cpus * CpuPeriodMicros < 1000)
            throw new UsageException($"--cpus takes a number of CPUs from 0.01: '{value}' is none");
        return cpus;
    }

    private static string CpusetCpus(string value)
    {
        var cpus = CpuList.Parse(value) ?? throw new UsageException($"--cpuset-cpus takes a list of CPUs such as 0-3,6: '{value}' is none");
        var missing = CpuList.Missing(cpus, File.Exists(CpuList.OnlineFile) ? File.ReadAllText(CpuList.OnlineFile) : "");
        if (missing.Count > 0)
            throw new UsageException($"--cpuset-cpus {value}: this host has no CPU {string.Join(',', missing)} (it has {File.ReadAllText(CpuList.OnlineFile).Trim()})");
        return value.Trim();
    }

    /// <summary>PATH:RATE, as docker takes it: a block device by its path, and bytes (with a suffix) or operations per second.</summary>
    private static DeviceRate Throttle(string option, string value, bool bytes)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0) throw new UsageException($"{option} takes PATH:{(bytes ? "RATE" : "N")} (/dev/vda:{(bytes ? "8mb" : "100")}): '{value}' is none");
        var path = value[..colon];
        (FileNodes.Kind Kind, uint Major, uint Minor)? device;
        try { device = FileNodes.DeviceOf(path); }
        catch (NativeException e) { throw new UsageException($"{option} {value}: {path}: {e.ErrnoName}"); }
        if (device is not { Kind: FileNodes.Kind.BlockDevice } d) throw new UsageException($"{option} {value}: {path} is not a block device");
        return new DeviceRate(d.Major, d.Minor, Rate(option, value[(colon + 1)..], bytes));
    }

    /// <summary>minimal_containers' "MAJ:MIN N": a block device by its numbers, which the host must have.</summary>
    private static DeviceRate NumberedThrottle(string key, string value, bool bytes)
    {
        var parts = value.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        var numbers = parts.Length == 2 ? parts[0].Split(':') : [];
        if (numbers.Length != 2
            || !uint.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major > DeviceRule.MaxMajor
            || !uint.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) || minor > DeviceRule.MaxMinor)
            throw new UsageException($"{key} takes MAJ:MIN {(bytes ? "BPS" : "N")} (254:0 {(bytes ? "8mb" : "100")}): '{value}' is none");
        if (!Directory.Exists($"/sys/dev/block/{major}:{minor}"))
            throw new UsageException($"{key} {value}: this host has no block device {major}:{minor}");
        return new DeviceRate(major, minor, Rate(key, parts[1], bytes));
    }

    private static ulong Rate(string option, string text, bool bytes)
    {
        var rate = bytes ? ByteSize.Parse(text) : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        if (rate is not > 0) throw new UsageException($"{option} takes a rate above 0 {(bytes ? "in bytes per second (8mb)" : "in operations per second")}: '{text}' is none");
        return (ulong)rate.Value;
    }

    private static IReadOnlyList<DeviceRate> Set(IReadOnlyList<DeviceRate> rates, DeviceRate rate) =>
        [.. rates.Where(r => r.Major != rate.Major || r.Minor != rate.Minor), rate];

    /// <summary>A class id as decimal, 0x hex, or tc's MAJOR:MINOR handle (hex, "10:1" is 0x100001); 0 is no class.</summary>
    private static uint ClassId(string value)
    {
        var id = ParseClassId(value);
        return id is > 0 ? id.Value
            : throw new UsageException($"--net-classid takes a class id above 0: decimal, 0x hex or tc's MAJOR:MINOR (10:1): '{value}' is none");
    }

    private static uint? ParseClassId(string value)
    {
        const NumberStyles Hex = NumberStyles.AllowHexSpecifier;
        var parts = value.Split(':');
        if (parts.Length == 2)
            return ushort.TryParse(parts[0], Hex, CultureInfo.InvariantCulture, out var major) && ushort.TryParse(parts[1], Hex, CultureInfo.InvariantCulture, out var minor)
                ? (uint)major << 16 | minor : null;
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return uint.TryParse(value[2..], Hex, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>A cgroup path of plain steps, absolute or relative; never one that climbs out with "..".</summary>
    private static string CgroupParent(string value)
    {
        if (value.Length == 0 || !CgroupHierarchy.IsPlain(value.StartsWith('/') ? value : "/" + value))
            throw new UsageException($"--cgroup-parent takes a cgroup path of plain names (/machine/web, or mine relative to containode's own): '{value}' is none");
        return value;
    }

    private static long StorageSize(string value)
    {
        if (!value.StartsWith("size=", StringComparison.Ordinal))
            throw new UsageException($"--storage-opt takes size=SIZE, the only storage option containode has: '{value}' is none");
        var size = ByteSize.Parse(value[5..]);
        if (size is not >= MinStorageSize)
            throw new UsageException($"--storage-opt size= takes a size from {ByteSize.Format(MinStorageSize)} (16m, 1g): '{value[5..]}' is none");
        return size.Value;
    }
}
