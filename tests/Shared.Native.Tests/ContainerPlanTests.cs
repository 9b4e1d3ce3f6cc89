using Containet.Native;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>The order of a plan's first steps with a user namespace, and the paths its child reaches below the run dir.</summary>
public sealed class ContainerPlanTests
{
    private static readonly IdMapping Mapping = new([new IdRange(0, 1000000000, 65536)], [new IdRange(0, 1000000000, 65536)]);

    [Fact]
    public void The_child_changes_into_its_work_dir_before_it_becomes_root_inside_and_reaches_below_it_relatively()
    {
        var plan = new ContainerPlan().EnterUserNamespace(Mapping, workIn: "/tmp/closed/run/ID");

        Assert.Equal(["wait for the id maps", "chdir /tmp/closed/run/ID", "become root in the user namespace"], plan.Descriptions);
        Assert.Equal("./rootfs", plan.PathBelow("/tmp/closed/run/ID", "rootfs"));
        Assert.Equal("./top/root", plan.PathBelow("/tmp/closed/run/ID", "top/root"));
        Assert.Equal("/elsewhere/rootfs", plan.PathBelow("/elsewhere", "rootfs"));
    }

    [Fact]
    public void Without_a_work_dir_paths_stay_absolute()
    {
        var plan = new ContainerPlan().EnterUserNamespace(Mapping);

        Assert.Equal(["wait for the id maps", "become root in the user namespace"], plan.Descriptions);
        Assert.Equal("/run/containet/containers/ID/rootfs", plan.PathBelow("/run/containet/containers/ID", "rootfs"));
    }
}
