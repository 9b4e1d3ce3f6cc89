using Containet.Native;
using Containode.Cgroups;

namespace Containode.Tests.Cgroups;

/// <summary>A cgroup's removal as a container's clean-up does it (shim/steps.c, as containet-wait runs it), for tests that made one alone.</summary>
internal static class CgroupCleanUp
{
    public static void Run(ContainerCgroup cgroup)
    {
        var steps = new ExitSteps();
        cgroup.AddExitSteps(steps);
        cgroup.Dispose();
        steps.Run(0);
    }
}
