using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>
/// Which hierarchy enforces each limit, against a fake cgroupfs: a controller's v1 hierarchy where mounted,
/// else cgroup v2 with the controller enabled down to the container; and the clear errors where neither can.
/// </summary>
public sealed class CgroupPlacementTests : IDisposable
{
    private static readonly string[] V2Files = ["memory.max", "memory.swap.max", "memory.low", "cpu.max", "cpu.weight", "cpuset.cpus", "pids.max", "io.max", "io.weight"];
    private static readonly ResourceLimits Every = new()
    {
        Memory = 64 << 20, MemorySwap = 96 << 20, MemoryReservation = 32 << 20, Cpus = 0.5m, CpuShares = 1024, CpusetCpus = "0", PidsLimit = 10,
        DeviceWriteBps = [new(254, 0, 4 << 20)], BlkioWeight = 500,
    };

    private readonly FakeCgroupFs fs = new();

    public void Dispose() => fs.Dispose();

    [Fact]
    public void Limits_of_controllers_on_cgroup_v2_are_enabled_from_the_own_cgroup_down_and_written_there()
    {
        using var cgroup = HybridWithV2Controllers();

        cgroup.ApplyLimits(ControllerFiles.With(Every));

        Assert.Equal("+memory +cpu +cpuset +pids +io\n", File.ReadAllText(fs.Combine("unified", "s", "cgroup.subtree_control")));
        Assert.Equal("+memory +cpu +cpuset +pids +io\n", File.ReadAllText(fs.Combine("unified", "s", "containet", "cgroup.subtree_control")));
        var dir = cgroup.Directories[^1];
        Assert.Equal("67108864\n", File.ReadAllText(Path.Combine(dir, "memory.max")));
        Assert.Equal("33554432\n", File.ReadAllText(Path.Combine(dir, "memory.swap.max")));
        Assert.Equal("50000 100000\n", File.ReadAllText(Path.Combine(dir, "cpu.max")));
        Assert.Equal("100\n", File.ReadAllText(Path.Combine(dir, "cpu.weight")));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(dir, "cpuset.cpus")));
        Assert.Equal("10\n", File.ReadAllText(Path.Combine(dir, "pids.max")));
        Assert.Equal("254:0 wbps=4194304\n", File.ReadAllText(Path.Combine(dir, "io.max")));
        Assert.Equal("default 4950\n", File.ReadAllText(Path.Combine(dir, "io.weight")));
    }

    [Fact]
    public void Without_limits_nothing_is_enabled_on_cgroup_v2()
    {
        using var cgroup = HybridWithV2Controllers();

        cgroup.ApplyLimits(ControllerFiles.With(ResourceLimits.None));

        Assert.Equal("", File.ReadAllText(fs.Combine("unified", "s", "cgroup.subtree_control")));
        Assert.All(V2Files, f => Assert.Equal("", File.ReadAllText(Path.Combine(cgroup.Directories[^1], f))));
    }

    [Fact]
    public void A_controller_mounted_as_v1_is_set_there_and_not_enabled_on_v2()
    {
        var host = fs.V1("devices").V1("pids").V2(own: "/s").Host();
        File.WriteAllText(fs.Combine("unified", "s", "cgroup.controllers"), "pids memory");
        FakeCgroupFs.Touch(fs.Combine("unified", "s"), "cgroup.subtree_control");
        using var cgroup = ContainerCgroup.Create(host, "c1");
        FakeCgroupFs.Touch(cgroup.Directories[0], "pids.max");
        FakeCgroupFs.Touch(cgroup.Directories[1], "pids.max");

        cgroup.ApplyLimits(ControllerFiles.With(new ResourceLimits { PidsLimit = 10 }));

        Assert.Equal("10\n", File.ReadAllText(Path.Combine(cgroup.Directories[0], "pids.max")));
        Assert.Equal("", File.ReadAllText(Path.Combine(cgroup.Directories[1], "pids.max")));
        Assert.Equal("", File.ReadAllText(fs.Combine("unified", "s", "cgroup.subtree_control")));
    }

    [Fact]
    public void An_absolute_parent_is_enabled_from_its_deepest_cgroup_that_existed_and_containodes_own_is_left_alone()
    {
        var host = fs.V1("devices").V2(own: "/s").Host();
        var machine = Directory.CreateDirectory(fs.Combine("unified", "machine")).FullName;
        File.WriteAllText(Path.Combine(machine, "cgroup.controllers"), "memory");
        FakeCgroupFs.Touch(machine, "cgroup.subtree_control");
        FakeCgroupFs.Touch(fs.Combine("unified", "s"), "cgroup.subtree_control");
        using var cgroup = ContainerCgroup.Create(host, "c1", "/machine/web");
        FakeCgroupFs.Touch(Path.Combine(machine, "web"), "cgroup.subtree_control");
        FakeCgroupFs.Touch(cgroup.Directories[0], "memory.max");

        cgroup.ApplyLimits(ControllerFiles.With(new ResourceLimits { Memory = 64 << 20 }));

        Assert.Equal("+memory\n", File.ReadAllText(Path.Combine(machine, "cgroup.subtree_control")));
        Assert.Equal("+memory\n", File.ReadAllText(Path.Combine(machine, "web", "cgroup.subtree_control")));
        Assert.Equal("", File.ReadAllText(fs.Combine("unified", "s", "cgroup.subtree_control")));
        Assert.Equal("67108864\n", File.ReadAllText(Path.Combine(cgroup.Directories[0], "memory.max")));
    }

    [Fact]
    public void Net_cls_on_a_pure_v2_host_says_v2_has_none()
    {
        using var cgroup = ContainerCgroup.Create(fs.V2().Host(), "c1");

        var e = Assert.Throws<LaunchException>(() => cgroup.Apply(ControllerFiles.With(new ResourceLimits { NetClassId = 1 })));

        Assert.Equal("--net-classid needs cgroup v1's net_cls controller, and this host has cgroup v2 only, which has no net_cls", e.Message);
    }

    [Fact]
    public void Net_cls_on_a_host_that_does_not_mount_it_says_how_to()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").V2().Host(), "c1");

        var e = Assert.Throws<LaunchException>(() => cgroup.Apply(ControllerFiles.With(new ResourceLimits { NetClassId = 1 })));

        Assert.Contains("mount -t cgroup -o net_cls net_cls /sys/fs/cgroup/net_cls", e.Message);
    }

    [Fact]
    public void Net_cls_where_mounted_is_written()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").V1("net_cls").Host(), "c1");
        FakeCgroupFs.Touch(cgroup.Directories[0], "devices.allow", "devices.deny");
        FakeCgroupFs.Touch(cgroup.Directories[1], "net_cls.classid");

        cgroup.Apply(ControllerFiles.With(new ResourceLimits { NetClassId = 0x100001 }));

        Assert.Equal("1048577\n", File.ReadAllText(Path.Combine(cgroup.Directories[1], "net_cls.classid")));
    }

    [Fact]
    public void A_controller_neither_version_has_is_named()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").Host(), "c1");

        var e = Assert.Throws<LaunchException>(() => cgroup.Apply(ControllerFiles.With(new ResourceLimits { Cpus = 1 })));

        Assert.Equal("--cpus and --cpu-shares needs the cpu controller, which this host mounts neither as cgroup v1 nor as cgroup2", e.Message);
    }

    [Fact]
    public void A_controller_cgroup_v2_does_not_give_the_own_cgroup_is_an_error_before_anything_is_written()
    {
        using var cgroup = HybridWithV2Controllers(offered: "cpu pids");

        var e = Assert.Throws<LaunchException>(() => cgroup.Apply(ControllerFiles.With(Every)));

        Assert.Contains("cgroup v2 does not give memory, cpuset, io to", e.Message);
        Assert.Contains("(its cgroup.controllers: cpu pids)", e.Message);
        Assert.Equal("", File.ReadAllText(fs.Combine("unified", "s", "cgroup.subtree_control")));
        Assert.All(V2Files, f => Assert.Equal("", File.ReadAllText(Path.Combine(cgroup.Directories[^1], f))));
    }

    /// <summary>A hybrid host with every limit's controller on cgroup v2 (only devices mounted as v1), containode's own cgroup /s without cgroup.type (a root).</summary>
    private ContainerCgroup HybridWithV2Controllers(string offered = "cpuset cpu io memory pids")
    {
        var host = fs.V1("devices").V2(own: "/s").Host();
        File.WriteAllText(fs.Combine("unified", "s", "cgroup.controllers"), offered);
        FakeCgroupFs.Touch(fs.Combine("unified", "s"), "cgroup.subtree_control");
        var cgroup = ContainerCgroup.Create(host, "c1");
        FakeCgroupFs.Touch(fs.Combine("unified", "s", "containet"), "cgroup.subtree_control");
        FakeCgroupFs.Touch(cgroup.Directories[^1], V2Files);
        return cgroup;
    }
}
