using Containet.Native;
using Containode.Cgroups;

namespace Containode;

/// <summary>The clone step's plan for a container, in the order the kernel needs it.</summary>
public static class ContainerPlanner
{
    public static ContainerPlan Build(LaunchTarget target, TopDirectory? top, WritableLayer? layer, string runDir, SafeFd? network, bool fromSwitch,
        SecurityPolicy security, IReadOnlyList<DeviceNodes.Node> devices, ContainerCgroup cgroup, System.Net.IPAddress? nameserver)
    {
        var spec = target.Spec;
        var host = spec.Namespaces.Host;
        // With a switch the child joins the network namespace the launcher got (NetworkAttachment); else it clones its own.
        // The child starts in its cgroup v2 (CLONE_INTO_CGROUP), joins its v1 ones, and only then takes a cgroup
        // namespace, so that namespace is rooted at the container's own cgroup.
        var plan = new ContainerPlan { Namespaces = NamespaceSet.ClonedWith(spec, network is not null), Init = spec.Init, Cgroup = cgroup.UnifiedDirectory };
        if (spec.Namespaces.Mapping() is { } mapping)
        {
            UserNamespacePlan.Add(plan, mapping, top, runDir);
            if (mapping.HostRoot is { } owner) cgroup.LetJoin(owner);
        }
        foreach (var procs in cgroup.ProcsFiles) plan.WriteHostFile(procs, "0");
        if (!host.HasFlag(Namespaces.Cgroup)) plan.Unshare(Namespaces.Cgroup);
        if (spec.Namespaces.Time) plan.NewTimeNamespace();
        if (network is not null) plan.JoinNetwork(network);
        if (!spec.ShareNetwork && !fromSwitch) plan.LinkUp("lo");
        FileNodes.MakeDirectories(Path.Combine(runDir, "rootfs"), Mode.O777);
        RootfsPlan.Add(plan, target, top, layer, runDir, devices, nameserver);
        if (!host.HasFlag(Namespaces.Uts)) plan.Hostname(target.Name);
        if (spec.CtrlSocketPath is not null) plan.Listen(spec.CtrlSocketPath);
        plan.ChangeDirectory(target.WorkingDirectory);
        plan.WaitForParent();
        security.AddTo(plan, target.User is null ? null : UserSpec.Parse(target.User));
        return plan;
    }
}
