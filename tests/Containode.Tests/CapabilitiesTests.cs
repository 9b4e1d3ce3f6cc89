using Containode;
using Xunit;

namespace Containode.Tests;

public sealed class CapabilitiesTests
{
    private const int Kernel = 40;

    [Theory]
    [InlineData("CAP_CHOWN", 0)]
    [InlineData("chown", 0)]
    [InlineData("cap_net_admin", 12)]
    [InlineData("Sys_Admin", 21)]
    [InlineData("CAP_AUDIT_WRITE", 29)]
    [InlineData("SETFCAP", 31)]
    [InlineData("CAP_CHECKPOINT_RESTORE", 40)]
    public void Names_with_or_without_CAP_in_any_case_have_their_numbers(string name, int number)
    {
        Assert.Equal(number, Capabilities.Number(name));
        Assert.Equal(number, Capabilities.Number(Capabilities.Name(number)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("CAP_")]
    [InlineData("ALL")]
    [InlineData("CAP_NET_ADMINX")]
    [InlineData("NET ADMIN")]
    [InlineData("41")]
    public void Anything_else_is_no_capability(string name) => Assert.Null(Capabilities.Number(name));

    [Fact]
    public void Every_number_up_to_40_has_a_distinct_name()
    {
        var names = Enumerable.Range(0, Capabilities.LastKnown + 1).Select(Capabilities.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith("CAP_", n));
        Assert.Equal("CAP_41", Capabilities.Name(41));
    }

    [Fact]
    public void Dockers_default_set_is_the_mask_runc_and_docker_give()
    {
        string[] docker = ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
            "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"];
        var mask = docker.Aggregate(0UL, (m, n) => m | 1UL << Capabilities.Number(n)!.Value);
        Assert.Equal(0x00000000a80425fbUL, mask);
        Assert.Equal(Capabilities.DockerDefault, mask);
        Assert.Equal(mask, Capabilities.Resolve([], [], false, Kernel));
        Assert.Equal(docker.Length, Capabilities.NamesOf(mask).Count());
    }

    [Fact]
    public void Add_and_drop_change_the_default_set()
    {
        var mask = Capabilities.Resolve(["NET_ADMIN", "cap_sys_time"], ["net_raw", "CAP_MKNOD"], false, Kernel);
        Assert.Equal((Capabilities.DockerDefault | 1UL << 12 | 1UL << 25) & ~(1UL << 13 | 1UL << 27), mask);
    }

    [Fact]
    public void Drop_ALL_then_add_gives_just_what_was_added()
    {
        Assert.Equal(0UL, Capabilities.Resolve([], ["ALL"], false, Kernel));
        Assert.Equal(1UL << 10, Capabilities.Resolve(["NET_BIND_SERVICE"], ["all"], false, Kernel));
    }

    [Fact]
    public void Add_ALL_gives_every_capability_of_the_kernel_but_those_dropped()
    {
        Assert.Equal((1UL << 41) - 1, Capabilities.Resolve(["ALL"], [], false, Kernel));
        Assert.Equal((1UL << 38) - 1, Capabilities.Resolve(["ALL"], [], false, 37));
        Assert.Equal(((1UL << 41) - 1) & ~(1UL << 21), Capabilities.Resolve(["ALL"], ["SYS_ADMIN"], false, Kernel));
        Assert.Equal((1UL << 41) - 1, Capabilities.Resolve(["ALL"], ["ALL"], false, Kernel));
    }

    [Fact]
    public void Privileged_gives_every_capability_the_kernel_knows_whatever_was_dropped()
    {
        Assert.Equal((1UL << 41) - 1, Capabilities.Resolve([], ["ALL"], true, Kernel));
        Assert.Equal((1UL << 38) - 1, Capabilities.Resolve([], [], true, 37));
    }

    [Fact]
    public void Privileged_and_add_ALL_leave_out_what_the_launcher_cannot_give()
    {
        var bounding = ((1UL << 41) - 1) & ~(1UL << 24);
        Assert.Equal(bounding, Capabilities.Resolve([], [], true, Kernel, () => bounding));
        Assert.Equal(bounding & ~(1UL << 21), Capabilities.Resolve(["ALL"], ["SYS_ADMIN"], false, Kernel, () => bounding));
        Assert.Equal(Capabilities.DockerDefault | 1UL << 24, Capabilities.Resolve(["SYS_RESOURCE"], [], false, Kernel, () => bounding));
    }

    [Fact]
    public void The_kernels_set_and_the_launchers_bounding_set_are_read_from_proc()
    {
        var last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var status = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        var bounding = Convert.ToUInt64(status[7..].Trim(), 16);
        Assert.Equal(last, Capabilities.KernelLast);
        Assert.Equal(bounding, Capabilities.Bounding);
        Assert.Equal(((1UL << (last + 1)) - 1) & bounding, Capabilities.All);
        Assert.Equal(Capabilities.All, Capabilities.Resolve([], [], true));
    }

    [Fact]
    public void An_unknown_name_is_a_usage_error_naming_it_and_the_option()
    {
        var e = Assert.Throws<UsageException>(() => Capabilities.Resolve(["NET_ADMIN", "CAP_FLY"], [], false, Kernel));
        Assert.Contains("--cap-add CAP_FLY", e.Message);
        e = Assert.Throws<UsageException>(() => Capabilities.Resolve([], ["bogus"], true, Kernel));
        Assert.Contains("--cap-drop bogus", e.Message);
    }

    [Fact]
    public void A_capability_newer_than_the_kernel_is_refused()
    {
        var e = Assert.Throws<UsageException>(() => Capabilities.Resolve(["CHECKPOINT_RESTORE"], [], false, 39));
        Assert.Contains("this kernel does not know", e.Message);
        Assert.Equal(Capabilities.DockerDefault | 1UL << 40, Capabilities.Resolve(["CHECKPOINT_RESTORE"], [], false, 40));
    }
}
