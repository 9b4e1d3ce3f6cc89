using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>Usage as docker stats reads it, from fake v1 and v2 cgroup files.</summary>
public sealed class CgroupStatsTests
{
    [Fact]
    public void V1_reads_each_controller_where_it_is_mounted()
    {
        using var cpu = Files(("cpuacct.usage", "1500000000\n"));
        using var memory = Files(("memory.usage_in_bytes", "54525952\n"), ("memory.stat", "cache 1\ntotal_inactive_file 2097152\ninactive_file 9\n"),
            ("memory.limit_in_bytes", "67108864\n"), ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));
        using var pids = Files(("pids.current", "3\n"));
        using var blkio = Files(("blkio.throttle.io_service_bytes_recursive", "254:0 Read 4096\n254:0 Write 8192\n254:0 Sync 1\n254:0 Total 12288\n8:0 Write 1\nTotal 12289\n"));

        var usage = CgroupStats.Read(new Dictionary<string, string> { ["cpuacct"] = cpu.Path, ["memory"] = memory.Path, ["pids"] = pids.Path, ["blkio"] = blkio.Path });

        Assert.Equal(new CgroupUsage(1_500_000_000, 50L << 20, 64L << 20, 3, 4096, 8193, 2), usage);
    }

    [Fact]
    public void A_v1_memory_without_a_limit_shows_the_hosts_memory()
    {
        using var memory = Files(("memory.usage_in_bytes", "100\n"), ("memory.stat", ""), ("memory.limit_in_bytes", "9223372036854771712\n"), ("memory.oom_control", "oom_kill 0\n"));

        var usage = CgroupStats.Read(new Dictionary<string, string> { ["memory"] = memory.Path });

        var total = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Assert.Equal(total, usage.MemoryLimit);
        Assert.Equal(100, usage.Memory);
        Assert.Null(usage.CpuNanoseconds);
        Assert.Null(usage.Pids);
    }

    [Fact]
    public void V2_reads_the_unified_directory()
    {
        using var unified = Files(("cpu.stat", "usage_usec 2500000\nuser_usec 2000000\n"), ("memory.current", "54525952\n"), ("memory.stat", "anon 1\ninactive_file 2097152\n"),
            ("memory.max", "67108864\n"), ("memory.events", "low 0\noom 3\noom_kill 1\noom_group_kill 0\n"), ("pids.current", "4\n"),
            ("io.stat", "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n8:0 rbytes=1 wbytes=0 rios=1 wios=0\n"));

        var usage = CgroupStats.Read(new Dictionary<string, string> { [CgroupStats.Unified] = unified.Path });

        Assert.Equal(new CgroupUsage(2_500_000_000, 50L << 20, 64L << 20, 4, 4097, 8192, 1), usage);
    }

    [Fact]
    public void V2_without_the_memory_and_io_controllers_has_no_such_figures()
    {
        using var unified = Files(("cpu.stat", "usage_usec 10\n"));

        var usage = CgroupStats.Read(new Dictionary<string, string> { [CgroupStats.Unified] = unified.Path });

        Assert.Equal(10_000, usage.CpuNanoseconds);
        Assert.Null(usage.Memory);
        Assert.Null(usage.BlockRead);
        Assert.Null(usage.Pids);
    }

    [Theory]
    [InlineData(0L, 500_000_000L, 1000, 50.0)]
    [InlineData(0L, 2_000_000_000L, 1000, 200.0)]
    [InlineData(5L, 4L, 1000, 0.0)]
    public void Cpu_percent_is_of_one_cpu(long before, long after, int ms, double percent) =>
        Assert.Equal(percent, CgroupStats.CpuPercent(before, after, TimeSpan.FromMilliseconds(ms))!.Value, 6);

    [Fact]
    public void Cpu_percent_needs_two_readings_and_time_between() =>
        Assert.Null(CgroupStats.CpuPercent(null, 5, TimeSpan.FromSeconds(1)) ?? CgroupStats.CpuPercent(1, 5, TimeSpan.Zero));

    private static ControllerFiles Files(params (string Name, string Text)[] files)
    {
        var dir = new ControllerFiles();
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir.Path, name), text);
        return dir;
    }
}
