using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>
/// Enabling v2 controllers under a cgroup that holds processes (no internal processes): containode moves itself
/// into a leaf when it is alone there, refuses when it is not, and never minds the root cgroup.
/// </summary>
public sealed class UnifiedDelegationTests : IDisposable
{
    private static readonly string Self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDir dir = new("containet-test-delegation");
    private readonly string own, containet;

    public UnifiedDelegationTests()
    {
        own = Directory.CreateDirectory(dir.Combine("own")).FullName;
        containet = Directory.CreateDirectory(Path.Combine(own, ContainerCgroup.Subtree)).FullName;
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "cpu memory pids");
        FakeCgroupFs.Touch(own, "cgroup.subtree_control", "cgroup.type", "cgroup.procs");
        FakeCgroupFs.Touch(containet, "cgroup.subtree_control");
    }

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Alone_in_its_cgroup_containode_moves_itself_into_a_leaf_and_enables_the_controllers()
    {
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), Self + "\n");
        var leaf = Directory.CreateDirectory(Path.Combine(containet, UnifiedDelegation.LauncherLeaf)).FullName;
        FakeCgroupFs.Touch(leaf, "cgroup.procs");

        UnifiedDelegation.Enable([own, containet], own, ["memory", "pids"]);

        Assert.Equal("0\n", File.ReadAllText(Path.Combine(leaf, "cgroup.procs")));
        Assert.Equal("+memory +pids\n", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
        Assert.Equal("+memory +pids\n", File.ReadAllText(Path.Combine(containet, "cgroup.subtree_control")));
    }

    [Fact]
    public void Beside_other_processes_it_moves_nobody_and_says_what_to_do()
    {
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), $"1234\n{Self}\n");

        var e = Assert.Throws<LaunchException>(() => UnifiedDelegation.Enable([own, containet], own, ["memory"]));

        Assert.Contains("holds other processes (1234 " + Self + ")", e.Message);
        Assert.Contains("systemd-run --scope -p Delegate=yes", e.Message);
        Assert.Contains("--cgroup-parent", e.Message);
        Assert.Equal("", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
        Assert.False(Directory.Exists(Path.Combine(containet, UnifiedDelegation.LauncherLeaf)));
    }

    [Fact]
    public void An_anchor_that_is_not_its_own_cgroup_is_never_moved_out_of()
    {
        var parent = Directory.CreateDirectory(dir.Combine("machine")).FullName;
        File.WriteAllText(Path.Combine(parent, "cgroup.controllers"), "memory");
        FakeCgroupFs.Touch(parent, "cgroup.subtree_control", "cgroup.type");
        File.WriteAllText(Path.Combine(parent, "cgroup.procs"), Self + "\n");

        Assert.Throws<LaunchException>(() => UnifiedDelegation.Enable([parent], own, ["memory"]));
    }

    [Fact]
    public void The_root_cgroup_keeps_its_processes_beside_controllers()
    {
        File.Delete(Path.Combine(own, "cgroup.type"));
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), "1\n1234\n");

        UnifiedDelegation.Enable([own, containet], own, ["cpu"]);

        Assert.Equal("+cpu\n", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
    }

    [Fact]
    public void Controllers_enabled_already_are_not_written_again()
    {
        File.WriteAllText(Path.Combine(own, "cgroup.subtree_control"), "memory pids\n");
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), "1234\n");

        UnifiedDelegation.Enable([own, containet], own, ["pids"]);

        Assert.Equal("memory pids\n", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
        Assert.Equal("+pids\n", File.ReadAllText(Path.Combine(containet, "cgroup.subtree_control")));
    }

    [Fact]
    public void No_controller_asked_is_no_write_at_all()
    {
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), "");

        UnifiedDelegation.Enable([own, containet], own, []);

        Assert.Equal("", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
    }
}
