using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>Every resource option and config key, with the values it takes and the hostile ones it refuses before anything is made.</summary>
public sealed class ResourceOptionsTests
{
    private static readonly (string Node, uint Major, uint Minor) Disk = BlockDevices.DiskOf("/tmp");

    private static ResourceLimits Parse(params string[] pairs)
    {
        var limits = ResourceLimits.None;
        for (var i = 0; i < pairs.Length; i += 2) limits = ResourceOptions.Apply(limits, pairs[i], pairs[i + 1]);
        return limits;
    }

    [Fact]
    public void Each_option_sets_its_limit()
    {
        var r = Parse("-m", "64m", "--memory-swap", "128m", "--memory-reservation", "32m", "--cpus", "0.5", "--cpu-shares", "512",
            "--cpuset-cpus", "0", "--pids-limit", "10", "--device-read-bps", Disk.Node + ":8mb", "--device-write-bps", Disk.Node + ":4mb",
            "--device-read-iops", Disk.Node + ":100", "--device-write-iops", Disk.Node + ":50", "--blkio-weight", "300",
            "--net-classid", "10:1", "--cgroup-parent", "/machine/web", "--storage-opt", "size=16m");

        Assert.Equal(64L << 20, r.Memory);
        Assert.Equal(128L << 20, r.MemorySwap);
        Assert.Equal(32L << 20, r.MemoryReservation);
        Assert.Equal(0.5m, r.Cpus);
        Assert.Equal(512, r.CpuShares);
        Assert.Equal("0", r.CpusetCpus);
        Assert.Equal(10, r.PidsLimit);
        Assert.Equal([new DeviceRate(Disk.Major, Disk.Minor, 8 << 20)], r.DeviceReadBps);
        Assert.Equal([new DeviceRate(Disk.Major, Disk.Minor, 4 << 20)], r.DeviceWriteBps);
        Assert.Equal([new DeviceRate(Disk.Major, Disk.Minor, 100)], r.DeviceReadIops);
        Assert.Equal([new DeviceRate(Disk.Major, Disk.Minor, 50)], r.DeviceWriteIops);
        Assert.Equal(300, r.BlkioWeight);
        Assert.Equal(0x100001u, r.NetClassId);
        Assert.Equal("/machine/web", r.CgroupParent);
        Assert.Equal(16L << 20, r.StorageSize);
        ResourceOptions.Check(r, hostCpus: 1);
    }

    [Fact]
    public void Minus_one_is_no_limit_for_swap_and_pids_and_a_later_rate_for_a_device_replaces_the_earlier()
    {
        var r = Parse("--memory-swap", "-1", "--pids-limit", "-1", "--device-write-bps", Disk.Node + ":4mb", "--device-write-bps", Disk.Node + ":1k");

        Assert.Equal(ResourceLimits.Unlimited, r.MemorySwap);
        Assert.Equal(ResourceLimits.Unlimited, r.PidsLimit);
        Assert.Equal([new DeviceRate(Disk.Major, Disk.Minor, 1024)], r.DeviceWriteBps);
    }

    [Theory]
    [InlineData("0x100001", 0x100001u)]
    [InlineData("1048577", 0x100001u)]
    [InlineData("ffff:ffff", 0xffffffffu)]
    [InlineData("1:0", 0x10000u)]
    public void Class_ids_are_decimal_hex_or_tc_handles(string text, uint id) => Assert.Equal(id, Parse("--net-classid", text).NetClassId);

    public static TheoryData<string, string, string> Hostile() => new()
    {
        { "--memory", "-64m", "takes a size" },
        { "--memory", "lots", "takes a size" },
        { "-m", "4m", "below the least a container needs" },
        { "--memory", "99999999999t", "takes a size" },
        { "--memory-swap", "-2", "takes a size" },
        { "--memory-reservation", "1x", "takes a size" },
        { "--cpus", "-1", "from 0.01" },
        { "--cpus", "0", "from 0.01" },
        { "--cpus", "0.001", "from 0.01" },
        { "--cpus", "1,5", "from 0.01" },
        { "--cpu-shares", "1", "from 2 to 262144" },
        { "--cpu-shares", "262145", "from 2 to 262144" },
        { "--cpu-shares", "-1024", "from 2 to 262144" },
        { "--cpuset-cpus", "0-", "a list of CPUs" },
        { "--cpuset-cpus", "4000", "this host has no CPU 4000" },
        { "--pids-limit", "0", "from 1" },
        { "--pids-limit", "-5", "from 1" },
        { "--pids-limit", "ten", "from 1" },
        { "--device-write-bps", "/dev/vda", "PATH:RATE" },
        { "--device-write-bps", "/dev/nonexistent:4mb", "ENOENT" },
        { "--device-write-bps", "/dev/null:4mb", "not a block device" },
        { "--device-write-bps", "/etc/passwd:4mb", "not a block device" },
        { "--device-read-bps", "DISK:0", "a rate above 0" },
        { "--device-read-bps", "DISK:-4mb", "a rate above 0" },
        { "--device-read-iops", "DISK:1.5", "a rate above 0" },
        { "--device-write-iops", "DISK:4k", "a rate above 0" },
        { "--blkio-weight", "5", "from 10 to 1000" },
        { "--blkio-weight", "1001", "from 10 to 1000" },
        { "--net-classid", "0", "above 0" },
        { "--net-classid", "-1", "above 0" },
        { "--net-classid", "10000:1", "above 0" },
        { "--net-classid", "0xg", "above 0" },
        { "--net-classid", "4294967296", "above 0" },
        { "--cgroup-parent", "../escape", "plain names" },
        { "--cgroup-parent", "/a/../../escape", "plain names" },
        { "--cgroup-parent", "a//b", "plain names" },
        { "--cgroup-parent", "", "plain names" },
        { "--storage-opt", "size=512k", "from 1 MiB" },
        { "--storage-opt", "size=big", "from 1 MiB" },
        { "--storage-opt", "dm.basesize=16m", "size=SIZE" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Bad_values_are_bad_usage_that_names_the_option(string option, string value, string says)
    {
        var e = Assert.Throws<UsageException>(() => Parse(option, value.Replace("DISK", Disk.Node)));

        Assert.Contains(says, e.Message);
        Assert.Contains(option.TrimStart('-') == "m" ? "--memory" : option, e.Message);
    }

    [Theory]
    [InlineData("--memory-swap 128m", "--memory-swap needs --memory")]
    [InlineData("--memory 64m --memory-swap 32m", "cannot be below --memory")]
    [InlineData("--memory 64m --memory-reservation 128m", "cannot be above --memory")]
    [InlineData("--cpus 3", "this host has 2 CPUs")]
    public void What_only_all_options_together_tell_is_checked_too(string options, string says)
    {
        var words = options.Split(' ');
        var e = Assert.Throws<UsageException>(() => ResourceOptions.Check(Parse(words), hostCpus: 2));

        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void Docker_defaults_swap_to_as_much_again_as_memory_unless_told()
    {
        Assert.Equal(128L << 20, Parse("-m", "64m").EffectiveMemorySwap);
        Assert.Equal(ResourceLimits.Unlimited, Parse("-m", "64m", "--memory-swap", "-1").EffectiveMemorySwap);
        Assert.Null(ResourceLimits.None.EffectiveMemorySwap);
    }

    [Fact]
    public void Every_minimal_containers_key_maps_onto_its_limit()
    {
        var numbers = $"{Disk.Major}:{Disk.Minor}";
        var r = ResourceLimits.None;
        foreach (var (key, value) in (ReadOnlySpan<(string, string)>)[("max_physical_memory", "64m"), ("max_memory", "128m"), ("cpu_share", "512"),
            ("net_classid", "0x100001"), ("iops_limit", numbers + " 100"), ("io_bw_limit", numbers + "\t8mb")])
            r = ResourceOptions.ApplyConfigKey(r, key, value) ?? throw new Xunit.Sdk.XunitException($"{key} was not taken");

        Assert.Equal(64L << 20, r.Memory);
        Assert.Equal(128L << 20, r.MemorySwap);
        Assert.Equal(512, r.CpuShares);
        Assert.Equal(0x100001u, r.NetClassId);
        var iops = new DeviceRate(Disk.Major, Disk.Minor, 100);
        var bps = new DeviceRate(Disk.Major, Disk.Minor, 8 << 20);
        Assert.Equal([iops], r.DeviceReadIops);
        Assert.Equal([iops], r.DeviceWriteIops);
        Assert.Equal([bps], r.DeviceReadBps);
        Assert.Equal([bps], r.DeviceWriteBps);
    }

    [Theory]
    [InlineData("memory", "64m")]
    [InlineData("memory_swap", "-1")]
    [InlineData("memory-reservation", "1g")]
    [InlineData("cpus", "0.5")]
    [InlineData("pids_limit", "10")]
    [InlineData("cgroup_parent", "mine")]
    [InlineData("storage_opt", "size=16m")]
    public void Each_docker_option_is_a_key_too(string key, string value) =>
        Assert.NotEqual(ResourceLimits.None, ResourceOptions.ApplyConfigKey(ResourceLimits.None, key, value));

    [Theory]
    [InlineData("hostname")]
    [InlineData("m")]
    [InlineData("--memory")]
    [InlineData("memory_swap_")]
    public void Other_keys_are_left_to_the_caller(string key) => Assert.Null(ResourceOptions.ApplyConfigKey(ResourceLimits.None, key, "64m"));

    [Theory]
    [InlineData("iops_limit", "DISK", "MAJ:MIN N")]
    [InlineData("iops_limit", "DISK 0", "a rate above 0")]
    [InlineData("iops_limit", "DISK x", "a rate above 0")]
    [InlineData("io_bw_limit", "/dev/vda 8mb", "MAJ:MIN BPS")]
    [InlineData("io_bw_limit", "4095:1048575 8mb", "no block device 4095:1048575")]
    [InlineData("io_bw_limit", "4096:0 8mb", "MAJ:MIN BPS")]
    [InlineData("io_bw_limit", "-1:0 8mb", "MAJ:MIN BPS")]
    [InlineData("max_physical_memory", "1k", "below the least")]
    [InlineData("cpu_share", "0", "from 2 to 262144")]
    [InlineData("net_classid", "0", "above 0")]
    public void Bad_key_values_are_bad_usage_that_names_the_key_or_its_option(string key, string value, string says)
    {
        var e = Assert.Throws<UsageException>(() => ResourceOptions.ApplyConfigKey(ResourceLimits.None, key, value.Replace("DISK", $"{Disk.Major}:{Disk.Minor}")));

        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void Every_option_is_known_to_the_command_line()
    {
        foreach (var (name, alias, _, _) in ResourceOptions.Options)
        {
            Assert.True(ResourceOptions.Takes(name), name);
            if (alias is not null) Assert.True(ResourceOptions.Takes(alias), alias);
        }
        Assert.False(ResourceOptions.Takes("--memory-limit"));
        Assert.Throws<ArgumentException>(() => ResourceOptions.Apply(ResourceLimits.None, "--init", "x"));
    }
}
