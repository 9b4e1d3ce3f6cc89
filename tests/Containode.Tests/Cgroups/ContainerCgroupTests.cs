using Containet.Native;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>The container's cgroup against a fake cgroupfs: which directories and files are made and written, and what is refused.</summary>
public sealed class ContainerCgroupTests : IDisposable
{
    private readonly FakeCgroupFs fs = new();

    public void Dispose() => fs.Dispose();

    [Fact]
    public void On_a_hybrid_host_the_child_starts_in_the_unified_cgroup_devices_go_through_its_program_and_each_known_v1_hierarchy_gets_one()
    {
        var host = fs.V1("devices", own: "/user.slice/s").V1("cpu,cpuacct").V1("name=systemd").V2(own: "/user.slice/s").Host();

        using var cgroup = ContainerCgroup.Create(host, "c1");

        var cpu = fs.Combine("cpu,cpuacct", "containet", "c1");
        var unified = fs.Combine("unified", "user.slice", "s", "containet", "c1");
        Assert.Equal([cpu, unified], cgroup.Directories);
        Assert.Equal([Path.Combine(cpu, "tasks")], cgroup.ProcsFiles);
        Assert.All(cgroup.Directories, d => Assert.True(Directory.Exists(d), d));
        Assert.Equal(unified, OpenedPath(cgroup.UnifiedDirectory!));
        Assert.Equal(new Dictionary<string, string> { ["cpuacct"] = cpu, ["unified"] = unified }, cgroup.ByController);
        Assert.False(Directory.Exists(fs.Combine("devices", "user.slice", "s", "containet")), "devices go through the v2 program where cgroup2 is mounted");
        Assert.False(Directory.Exists(fs.Combine("name=systemd", "containet")), "containode neither sets nor reads a named hierarchy");
    }

    [Fact]
    public void Cpu_and_cpuset_hierarchies_of_their_own_are_made_only_for_a_limit_that_sets_them()
    {
        var host = fs.V1("memory").V1("cpu").V1("cpuacct").V1("cpuset").V2().Host();

        using (var plain = ContainerCgroup.Create(host, "plain"))
            Assert.Equal(["memory", "cpuacct", "unified"], plain.Directories.Select(d => Path.GetRelativePath(fs.Combine(), d).Split('/')[0]));
        Assert.False(Directory.Exists(fs.Combine("cpu", "containet", "plain")));
        Assert.False(Directory.Exists(fs.Combine("cpuset", "containet", "plain")));
        using var cpus = ContainerCgroup.Create(host, "cpus", limits: new ResourceLimits { Cpus = 0.5m });
        Assert.Equal(["memory", "cpu", "cpuacct", "unified"], cpus.Directories.Select(d => Path.GetRelativePath(fs.Combine(), d).Split('/')[0]));
    }

    [Fact]
    public void On_a_pure_v2_host_the_child_starts_in_the_unified_cgroup_and_joins_nothing_else()
    {
        var host = fs.V2(own: "/user.slice", name: "cgroup").Host();

        using var cgroup = ContainerCgroup.Create(host, "c1");

        var unified = fs.Combine("cgroup", "user.slice", "containet", "c1");
        Assert.Equal([unified], cgroup.Directories);
        Assert.Empty(cgroup.ProcsFiles);
        Assert.Equal(unified, OpenedPath(cgroup.UnifiedDirectory!));
    }

    [Fact]
    public void On_a_pure_v1_host_there_is_no_unified_directory()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").V1("memory").Host(), "c1");

        Assert.Equal([fs.Combine("devices", "containet", "c1"), fs.Combine("memory", "containet", "c1")], cgroup.Directories);
        Assert.Null(cgroup.UnifiedDirectory);
    }

    [Fact]
    public void V1_devices_deny_everything_then_allow_the_containers_nodes_one_write_each()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").Host(), "c1");
        var dir = cgroup.Directories[0];
        FakeCgroupFs.Touch(dir, "devices.allow", "devices.deny");

        cgroup.Apply(new CgroupSettings([.. DeviceRules.Default, new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.Write, allow: false)]));

        Assert.Equal("a\nc 1:3 w\n", File.ReadAllText(Path.Combine(dir, "devices.deny")));
        Assert.Equal(string.Concat(DeviceRules.Default.Select(r => r + "\n")), File.ReadAllText(Path.Combine(dir, "devices.allow")));
        Assert.StartsWith("c *:* m\nb *:* m\nc 1:3 rwm\n", File.ReadAllText(Path.Combine(dir, "devices.allow")));
    }

    [Fact]
    public void V1_devices_files_are_never_created_where_the_kernel_did_not_make_them()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").Host(), "c1");

        var e = Assert.Throws<NativeException>(() => cgroup.Apply(new CgroupSettings(DeviceRules.Default)));

        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cgroup.Directories[0]));
    }

    [Theory]
    [InlineData("/machine/web", "machine/web")]
    [InlineData("/", "")]
    [InlineData("mine", "user.slice/mine")]
    [InlineData("mine/inner", "user.slice/mine/inner")]
    public void A_parent_replaces_containet_absolute_from_the_root_or_relative_to_the_own_cgroup(string parent, string under)
    {
        var host = fs.V1("devices", own: "/user.slice").Host();

        using var cgroup = ContainerCgroup.Create(host, "c1", parent);

        Assert.Equal([Path.Join(fs.Combine("devices"), under, "c1")], cgroup.Directories);
        Assert.All(cgroup.Directories, d => Assert.True(Directory.Exists(d), d));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/a/../../escape")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("./a")]
    public void A_parent_that_is_not_a_plain_path_is_refused_before_anything_is_made(string parent)
    {
        var host = fs.V1("devices", own: "/user.slice").V2(own: "/user.slice").Host();
        var before = fs.Tree();

        Assert.Throws<LaunchException>(() => ContainerCgroup.Create(host, "c1", parent));

        Assert.Equal(before, fs.Tree());
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("")]
    public void An_identity_that_is_a_path_is_refused(string id)
    {
        var host = fs.V1("devices").Host();
        var before = fs.Tree();

        Assert.Throws<ArgumentException>(() => ContainerCgroup.Create(host, id));
        Assert.Equal(before, fs.Tree());
    }

    [Fact]
    public void Without_any_hierarchy_the_launch_stops_with_what_to_mount()
    {
        var e = Assert.Throws<LaunchException>(() => ContainerCgroup.Create(fs.V1("memory").Host(), "c1"));

        Assert.Contains("mount cgroup2", e.Message);
    }

    [Fact]
    public void A_failure_half_way_removes_what_the_call_made()
    {
        var host = fs.V1("devices").V2().Host();
        File.WriteAllText(fs.Combine("unified", "containet"), "a file where the unified parent should be");
        var before = fs.Tree();

        var e = Assert.Throws<NativeException>(() => ContainerCgroup.Create(host, "c1"));

        Assert.Equal(Errno.ENOTDIR, e.Errno);
        Assert.Equal(before, fs.Tree());
    }

    [Fact]
    public void An_empty_cgroup_left_by_a_killed_monitor_is_replaced_and_a_busy_one_refused()
    {
        var host = fs.V1("devices").V2().Host();
        Directory.CreateDirectory(fs.Combine("unified", "containet", "c1"));

        CgroupCleanUp.Run(ContainerCgroup.Create(host, "c1"));
        Directory.CreateDirectory(fs.Combine("unified", "containet", "c1", "child"));
        var before = fs.Tree();

        // A real cgroup with processes or children answers EBUSY; a fake directory with something in it, ENOTEMPTY.
        Assert.Throws<NativeException>(() => ContainerCgroup.Create(host, "c1"));
        Assert.Equal(before, fs.Tree());
    }

    [Fact]
    public void A_left_over_cgroup_is_removed_by_identity_in_every_hierarchy_and_a_missing_one_is_fine()
    {
        var host = fs.V1("memory").V1("pids").V2().Host();
        var cgroup = ContainerCgroup.Create(host, "c1", "mine");
        cgroup.Dispose();

        ContainerCgroup.RemoveLeftOver(host, "c1", "mine");
        ContainerCgroup.RemoveLeftOver(host, "c1", "mine");

        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
        Assert.True(Directory.Exists(fs.Combine("memory", "mine")));
        Assert.Throws<ArgumentException>(() => ContainerCgroup.RemoveLeftOver(host, ".."));
    }

    [Fact]
    public void The_clean_up_takes_the_directories_and_leaves_the_parents()
    {
        var host = fs.V1("devices").V2().Host();
        var cgroup = ContainerCgroup.Create(host, "c1");

        CgroupCleanUp.Run(cgroup);
        CgroupCleanUp.Run(cgroup);

        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
        Assert.True(Directory.Exists(fs.Combine("unified", "containet")));
        Assert.True(cgroup.UnifiedDirectory!.IsClosed);
    }

    [Fact]
    public void At_exit_containet_wait_reports_an_oom_kill_from_v2s_memory_events_then_removes_each_directory()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").V2().Host(), "c1");
        var steps = new ExitSteps();

        cgroup.AddExitSteps(steps);

        var unified = fs.Combine("unified", "containet", "c1");
        Assert.Equal(["--oom", Path.Combine(unified, "memory.events"), "containode: c1 was killed: out of memory", "", "--rmdir", unified], steps.Arguments);
    }

    [Fact]
    public void With_v1_memory_the_oom_report_reads_memory_oom_control_and_names_the_limit()
    {
        using var cgroup = ContainerCgroup.Create(fs.V1("devices").V1("memory").Host(), "c1");
        var memory = cgroup.Directories[1];
        FakeCgroupFs.Touch(cgroup.Directories[0], "devices.allow", "devices.deny");
        FakeCgroupFs.Touch(memory, "memory.limit_in_bytes");
        cgroup.Apply(new CgroupSettings(DeviceRules.Default) { Resources = new ResourceLimits { Memory = 64 << 20 } });
        var steps = new ExitSteps();

        cgroup.AddExitSteps(steps);

        Assert.Equal(["--oom", Path.Combine(memory, "memory.oom_control"), "containode: c1 was killed: out of memory (limit 64 MiB)"], steps.Arguments.Take(3));
    }

    private static string OpenedPath(SafeFd fd) => new FileInfo($"/proc/self/fd/{fd.Number}").LinkTarget!;
}
