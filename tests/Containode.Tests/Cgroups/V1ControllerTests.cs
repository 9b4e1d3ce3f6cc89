using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>What each v1 controller writes, file by file, against a fake cgroup directory; and what it leaves alone.</summary>
public sealed class V1ControllerTests
{
    private static readonly DeviceRate Disk = new(254, 0, 4 << 20), Other = new(8, 16, 100);

    [Fact]
    public void Memory_writes_the_limit_then_memory_plus_swap_then_the_reservation()
    {
        using var files = new ControllerFiles("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes");

        new V1Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = 96 << 20, MemoryReservation = 32 << 20 }));

        Assert.Equal("67108864\n", files["memory.limit_in_bytes"]);
        Assert.Equal("100663296\n", files["memory.memsw.limit_in_bytes"]);
        Assert.Equal("33554432\n", files["memory.soft_limit_in_bytes"]);
    }

    [Fact]
    public void Memory_alone_gets_as_much_swap_again_and_minus_one_is_no_swap_limit()
    {
        using var files = new ControllerFiles("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
        new V1Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20 }));
        Assert.Equal("134217728\n", files["memory.memsw.limit_in_bytes"]);

        using var unlimited = new ControllerFiles("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
        new V1Memory(unlimited.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = ResourceLimits.Unlimited }));
        Assert.Equal("-1\n", unlimited["memory.memsw.limit_in_bytes"]);
    }

    [Fact]
    public void Without_swap_accounting_the_default_swap_is_skipped_and_an_explicit_one_refused()
    {
        using var files = new ControllerFiles("memory.limit_in_bytes");
        new V1Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20 }));
        Assert.Equal("67108864\n", files["memory.limit_in_bytes"]);

        var e = Assert.Throws<LaunchException>(() => new V1Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = 96 << 20 })));
        Assert.Contains("swapaccount=1", e.Message);
    }

    [Fact]
    public void Cpu_writes_a_quota_per_100_ms_period_and_shares()
    {
        using var files = new ControllerFiles("cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares");

        new V1Cpu(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Cpus = 0.25m, CpuShares = 512 }));

        Assert.Equal("100000\n", files["cpu.cfs_period_us"]);
        Assert.Equal("25000\n", files["cpu.cfs_quota_us"]);
        Assert.Equal("512\n", files["cpu.shares"]);
    }

    [Theory]
    [InlineData("1.5", 150000L)]
    [InlineData("0.01", 1000L)]
    [InlineData("0.333333", 33333L)]
    public void Quotas_round_to_whole_microseconds(string cpus, long quota) => Assert.Equal(quota, V1Cpu.QuotaMicros(decimal.Parse(cpus, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Cpuset_writes_the_list_and_a_new_cpuset_gets_its_parents_cpus_and_nodes_top_down()
    {
        using var files = new ControllerFiles("cpuset.cpus", "cpuset.mems");
        File.WriteAllText(Path.Combine(files.Path, "cpuset.cpus"), "0-3\n");
        File.WriteAllText(Path.Combine(files.Path, "cpuset.mems"), "0\n");
        var middle = Directory.CreateDirectory(Path.Combine(files.Path, "containet")).FullName;
        var container = Directory.CreateDirectory(Path.Combine(middle, "c1")).FullName;
        FakeCgroupFs.Touch(middle, "cpuset.cpus", "cpuset.mems");
        FakeCgroupFs.Touch(container, "cpuset.cpus", "cpuset.mems");

        V1Cpuset.Inherit(container, files.Path);
        new V1Cpuset(container).Apply(ControllerFiles.With(new ResourceLimits { CpusetCpus = "1,3" }));

        Assert.Equal("0-3\n", files["containet/cpuset.cpus"]);
        Assert.Equal("0\n", files["containet/cpuset.mems"]);
        Assert.Equal("1,3\n", files["containet/c1/cpuset.cpus"]);
        Assert.Equal("0\n", files["containet/c1/cpuset.mems"]);
    }

    [Theory]
    [InlineData(10L, "10\n")]
    [InlineData(ResourceLimits.Unlimited, "max\n")]
    public void Pids_writes_the_limit_or_max(long limit, string written)
    {
        using var files = new ControllerFiles("pids.max");

        new Pids(files.Path).Apply(ControllerFiles.With(new ResourceLimits { PidsLimit = limit }));

        Assert.Equal(written, files["pids.max"]);
    }

    [Fact]
    public void Blkio_writes_one_line_per_device_in_each_throttle_file_and_the_weight()
    {
        string[] throttles = ["blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"];
        using var files = new ControllerFiles([.. throttles, "blkio.weight"]);

        new V1Blkio(files.Path).Apply(ControllerFiles.With(new ResourceLimits
        {
            DeviceReadBps = [Disk, Other], DeviceWriteBps = [Disk], DeviceReadIops = [Other], DeviceWriteIops = [Other with { Rate = 50 }], BlkioWeight = 300,
        }));

        Assert.Equal("254:0 4194304\n8:16 100\n", files["blkio.throttle.read_bps_device"]);
        Assert.Equal("254:0 4194304\n", files["blkio.throttle.write_bps_device"]);
        Assert.Equal("8:16 100\n", files["blkio.throttle.read_iops_device"]);
        Assert.Equal("8:16 50\n", files["blkio.throttle.write_iops_device"]);
        Assert.Equal("300\n", files["blkio.weight"]);
    }

    [Fact]
    public void Blkio_weight_goes_to_bfq_where_cfq_is_gone_and_is_refused_without_either()
    {
        using var bfq = new ControllerFiles("blkio.bfq.weight");
        new V1Blkio(bfq.Path).Apply(ControllerFiles.With(new ResourceLimits { BlkioWeight = 300 }));
        Assert.Equal("300\n", bfq["blkio.bfq.weight"]);

        using var none = new ControllerFiles("blkio.throttle.read_bps_device");
        var e = Assert.Throws<LaunchException>(() => new V1Blkio(none.Path).Apply(ControllerFiles.With(new ResourceLimits { BlkioWeight = 300 })));
        Assert.Contains("BFQ", e.Message);
    }

    [Fact]
    public void Net_cls_writes_the_class_id_in_decimal()
    {
        using var files = new ControllerFiles("net_cls.classid");

        new V1NetCls(files.Path).Apply(ControllerFiles.With(new ResourceLimits { NetClassId = 0x100001 }));

        Assert.Equal("1048577\n", files["net_cls.classid"]);
    }

    [Fact]
    public void Without_limits_no_controller_writes_anything()
    {
        string[] names = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares",
            "cpuset.cpus", "pids.max", "blkio.throttle.read_bps_device", "blkio.weight", "net_cls.classid"];
        using var files = new ControllerFiles(names);
        var none = ControllerFiles.With(ResourceLimits.None);

        foreach (var controller in (ICgroupController[])[new V1Memory(files.Path), new V1Cpu(files.Path), new V1Cpuset(files.Path), new Pids(files.Path), new V1Blkio(files.Path), new V1NetCls(files.Path)])
            controller.Apply(none);

        Assert.All(names, n => Assert.Equal("", files[n]));
    }

    [Fact]
    public void A_missing_control_file_is_never_created()
    {
        using var files = new ControllerFiles();

        Assert.Throws<Containet.Native.NativeException>(() => new Pids(files.Path).Apply(ControllerFiles.With(new ResourceLimits { PidsLimit = 10 })));

        Assert.Empty(Directory.EnumerateFileSystemEntries(files.Path));
    }
}
