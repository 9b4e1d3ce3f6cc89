using Containet.Native;

namespace Containode;

/// <summary>The first steps of a container with a user namespace of its own (--userns private).</summary>
public static class UserNamespacePlan
{
    /// <summary>The child works in <paramref name="runDir"/>, where its root and mounts are made: see <see cref="ContainerPlan.EnterUserNamespace"/>.</summary>
    public static void Add(ContainerPlan plan, IdMapping mapping, TopDirectory? top, string runDir)
    {
        plan.EnterUserNamespace(mapping, workIn: runDir);
        if (top is not null) UserNamespaceRootfs.PrepareTop(top, mapping);
    }

    /// <summary>Says that the image is seen through a plain mount instead, and why.</summary>
    public static string NoIdmapMessage(NativeException why) =>
        $"containode: no idmapped mount here ({why.Message}): the image's files show as owned by nobody (65534) inside; TOP/root was given to the container's root, so what it writes is its own";
}
