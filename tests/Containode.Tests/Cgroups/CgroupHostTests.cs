using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>Reading the host's cgroup layout from mountinfo and /proc/self/cgroup, including what a host can get wrong.</summary>
public sealed class CgroupHostTests
{
    // This machine's layout: v1 controllers each in their own hierarchy, an empty cgroup2 beside them.
    private const string HybridMounts = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string HybridOwn = """
        9:name=systemd:/
        5:devices:/
        4:memory:/process_api/a2a5
        1:cpu:/
        0::/
        """;

    [Fact]
    public void A_hybrid_host_has_each_v1_controller_and_the_unified_hierarchy()
    {
        var host = CgroupHost.Parse(HybridMounts, HybridOwn);

        Assert.Equal(["cpu", "devices", "memory", "name=systemd"], host.V1.Keys.Order());
        Assert.Equal("/sys/fs/cgroup/devices", host.V1["devices"].OwnDirectory);
        Assert.Equal("/sys/fs/cgroup/memory/process_api/a2a5", host.V1["memory"].OwnDirectory);
        Assert.Equal("/sys/fs/cgroup/unified", host.Unified?.OwnDirectory);
    }

    [Fact]
    public void A_pure_v2_host_has_the_unified_hierarchy_only()
    {
        var host = CgroupHost.Parse("25 21 0:23 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
            "0::/user.slice/user-0.slice/session-3.scope\n");

        Assert.Empty(host.V1);
        Assert.Equal("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope", host.Unified?.OwnDirectory);
    }

    [Fact]
    public void Controllers_mounted_together_share_one_hierarchy()
    {
        var host = CgroupHost.Parse("32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct", "2:cpu,cpuacct:/a\n");

        Assert.Same(host.V1["cpu"], host.V1["cpuacct"]);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/a", host.V1["cpu"].OwnDirectory);
    }

    [Fact]
    public void A_mount_of_part_of_a_hierarchy_maps_only_what_it_shows()
    {
        // A container's view without a cgroup namespace: its mount shows /docker/abc at the mount point.
        const string mounts = "36 31 0:33 /docker/abc /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices";

        Assert.Equal("/sys/fs/cgroup/devices", CgroupHost.Parse(mounts, "5:devices:/docker/abc\n").V1["devices"].OwnDirectory);
        Assert.Equal("/sys/fs/cgroup/devices/x", CgroupHost.Parse(mounts, "5:devices:/docker/abc/x\n").V1["devices"].OwnDirectory);
        Assert.Empty(CgroupHost.Parse(mounts, "5:devices:/docker/abcd\n").V1);
        Assert.Empty(CgroupHost.Parse(mounts, "5:devices:/\n").V1);
    }

    [Fact]
    public void A_hierarchy_without_a_mount_is_left_out()
    {
        var host = CgroupHost.Parse("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory", HybridOwn);

        Assert.Equal(["memory"], host.V1.Keys);
        Assert.Null(host.Unified);
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/../../x")]
    [InlineData("/a/../../b")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("a")]
    public void An_own_cgroup_that_is_not_a_plain_path_is_refused(string own)
    {
        var e = Assert.Throws<LaunchException>(() => CgroupHost.Parse(HybridMounts, $"5:devices:{own}\n0::/\n"));
        Assert.Contains($"'{own}'", e.Message);
    }

    [Fact]
    public void A_mount_whose_root_lies_outside_the_cgroup_namespace_shows_nothing()
    {
        // mountinfo writes a cgroup mount made outside the reader's cgroup namespace as "/..".
        var host = CgroupHost.Parse("41 31 0:38 /.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "0::/\n");

        Assert.Null(host.Unified);
    }

    [Fact]
    public void The_first_mount_that_shows_the_own_cgroup_is_used()
    {
        const string mounts = """
            50 31 0:33 /other /mnt/a rw - cgroup cgroup rw,devices
            51 31 0:33 / /mnt/b rw - cgroup cgroup rw,devices
            52 31 0:33 / /mnt/c rw - cgroup cgroup rw,devices
            """;

        Assert.Equal("/mnt/b/x", CgroupHost.Parse(mounts, "5:devices:/x\n").V1["devices"].OwnDirectory);
    }

    [Theory]
    [InlineData(@"/mnt/a\040b", "/mnt/a b")]
    [InlineData(@"/mnt/tab\011and\012newline", "/mnt/tab\tand\nnewline")]
    [InlineData(@"/mnt/back\134slash", @"/mnt/back\slash")]
    [InlineData(@"/mnt/not\x41octal", @"/mnt/not\x41octal")]
    [InlineData(@"/mnt/big\477", @"/mnt/big\477")]
    [InlineData(@"/mnt/short\04", @"/mnt/short\04")]
    [InlineData(@"/mnt/trailing\", @"/mnt/trailing\")]
    [InlineData(@"/mnt/caf\303\251", "/mnt/café")]
    public void Mount_points_are_unescaped_as_the_kernel_escapes_them(string field, string path)
    {
        var host = CgroupHost.Parse($"41 31 0:38 / {field} rw - cgroup2 cgroup2 rw", "0::/\n");

        Assert.Equal(path, host.Unified?.MountPoint);
    }

    [Theory]
    [InlineData("41 31 0:38 / /sys/fs/cgroup rw shared:1 master:2 cgroup2 cgroup2 rw")] // no separator
    [InlineData("41 31 0:38 / /sys/fs/cgroup rw -")]                  // nothing after it
    [InlineData("41 31")]
    [InlineData("")]
    public void Lines_that_are_not_mountinfo_are_skipped(string line) =>
        Assert.Null(CgroupHost.Parse(line + "\n41 31 0:38 / /x rw - tmpfs tmpfs rw", "0::/\n").Unified);

    [Theory]
    [InlineData("garbage")]
    [InlineData("5:devices")]
    [InlineData("5::/")]
    public void Lines_that_are_not_proc_self_cgroup_are_skipped(string line) =>
        Assert.Empty(CgroupHost.Parse(HybridMounts, line + "\n").V1);

    [Fact]
    public void This_machine_names_its_own_cgroup_in_every_hierarchy_it_mounts()
    {
        var host = CgroupHost.Detect();

        foreach (var hierarchy in host.V1.Values.Append(host.Unified).OfType<CgroupHierarchy>())
            Assert.True(Directory.Exists(hierarchy.OwnDirectory), hierarchy.OwnDirectory);
        Assert.True(host.V1.Count > 0 || host.Unified is not null, "no cgroup hierarchy found in /proc/self/mountinfo");
    }
}
