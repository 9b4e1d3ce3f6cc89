using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>What each v2 controller writes, file by file, against a fake cgroup directory.</summary>
public sealed class V2ControllerTests
{
    [Fact]
    public void Memory_writes_max_swap_alone_and_low()
    {
        using var files = new ControllerFiles("memory.max", "memory.swap.max", "memory.low");

        new V2Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = 96 << 20, MemoryReservation = 32 << 20 }));

        Assert.Equal("67108864\n", files["memory.max"]);
        Assert.Equal("33554432\n", files["memory.swap.max"]);
        Assert.Equal("33554432\n", files["memory.low"]);
    }

    [Theory]
    [InlineData(null, "67108864\n")]
    [InlineData(ResourceLimits.Unlimited, "max\n")]
    public void Memory_alone_gets_as_much_swap_and_minus_one_is_max(long? swap, string written)
    {
        using var files = new ControllerFiles("memory.max", "memory.swap.max");

        new V2Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = swap }));

        Assert.Equal(written, files["memory.swap.max"]);
    }

    [Fact]
    public void Memory_swap_without_a_swap_file_is_refused()
    {
        using var files = new ControllerFiles("memory.max");

        Assert.Throws<LaunchException>(() => new V2Memory(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20, MemorySwap = 96 << 20 })));
    }

    [Fact]
    public void Cpu_writes_quota_and_period_in_cpu_max_and_shares_as_a_weight()
    {
        using var files = new ControllerFiles("cpu.max", "cpu.weight");

        new V2Cpu(files.Path).Apply(ControllerFiles.With(new ResourceLimits { Cpus = 0.5m, CpuShares = 1024 }));

        Assert.Equal("50000 100000\n", files["cpu.max"]);
        Assert.Equal("100\n", files["cpu.weight"]);
    }

    [Theory]
    [InlineData(2L, 1L)]
    [InlineData(3L, 2L)]
    [InlineData(100L, 17L)]
    [InlineData(512L, 59L)]
    [InlineData(1024L, 100L)]
    [InlineData(2048L, 174L)]
    [InlineData(10000L, 627L)]
    [InlineData(262143L, 10000L)]
    [InlineData(262144L, 10000L)]
    public void Shares_convert_to_weights_as_crun_converts_them(long shares, long weight) => Assert.Equal(weight, V2Cpu.Weight(shares));

    [Fact]
    public void Cpuset_writes_only_the_list()
    {
        using var files = new ControllerFiles("cpuset.cpus", "cpuset.mems");

        new V2Cpuset(files.Path).Apply(ControllerFiles.With(new ResourceLimits { CpusetCpus = "0-1" }));

        Assert.Equal("0-1\n", files["cpuset.cpus"]);
        Assert.Equal("", files["cpuset.mems"]);
    }

    [Fact]
    public void Io_writes_one_io_max_line_per_device_with_its_rates_and_the_weight_converted()
    {
        using var files = new ControllerFiles("io.max", "io.weight");

        new V2Io(files.Path).Apply(ControllerFiles.With(new ResourceLimits
        {
            DeviceReadBps = [new(254, 0, 8 << 20)], DeviceWriteBps = [new(254, 0, 4 << 20), new(8, 0, 1024)],
            DeviceReadIops = [new(254, 0, 100)], DeviceWriteIops = [new(8, 0, 50)], BlkioWeight = 500,
        }));

        Assert.Equal("8:0 wbps=1024 wiops=50\n254:0 rbps=8388608 wbps=4194304 riops=100\n", files["io.max"]);
        Assert.Equal("default 4950\n", files["io.weight"]);
    }

    [Theory]
    [InlineData(10L, 1L)]
    [InlineData(500L, 4950L)]
    [InlineData(1000L, 10000L)]
    public void Blkio_weights_convert_to_io_weights_as_runc_converts_them(long blkio, long io) => Assert.Equal(io, V2Io.Weight(blkio));

    [Fact]
    public void Io_weight_goes_to_bfq_as_it_is_where_bfq_is_the_scheduler()
    {
        using var files = new ControllerFiles("io.bfq.weight", "io.weight");

        new V2Io(files.Path).Apply(ControllerFiles.With(new ResourceLimits { BlkioWeight = 500 }));

        Assert.Equal("500\n", files["io.bfq.weight"]);
        Assert.Equal("", files["io.weight"]);
    }
}
