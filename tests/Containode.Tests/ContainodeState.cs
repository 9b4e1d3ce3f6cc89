using System.Runtime.CompilerServices;
using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>
/// Where the containers of this test run keep their state: a temp folder of their own (CONTAINET_RUN_DIR and
/// CONTAINET_LIB_DIR, set for every containode this process starts), and an image store of their own (MOCKER_STORE),
/// so tests never see the machine's containers or images, nor leave any there; removed when the tests end.
/// </summary>
internal static class ContainodeState
{
    private static readonly TempDir Dir = new("containode-state");

    public static string Run => Dir.Combine("run", "containers");
    public static string Lib => Dir.Combine("lib", "containers");
    public static string Names => Dir.Combine("lib", "names");
    public static string Images => Dir.Combine("images");

    [ModuleInitializer]
    internal static void Use()
    {
        Environment.SetEnvironmentVariable("CONTAINET_RUN_DIR", Dir.Combine("run"));
        Environment.SetEnvironmentVariable("CONTAINET_LIB_DIR", Dir.Combine("lib"));
        Environment.SetEnvironmentVariable("MOCKER_STORE", Images);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Dir.Dispose();
            RemoveEmptyParents();
        };
    }

    /// <summary>
    /// The containers' parent cgroup, &lt;own&gt;/containet in each hierarchy, which containode makes and leaves (as
    /// docker leaves /docker): removed once empty, and left to a run that still has containers in it (EBUSY).
    /// </summary>
    private static void RemoveEmptyParents()
    {
        if (!Containet.Native.Posix.IsRoot) return;
        var host = Containode.Cgroups.CgroupHost.Detect();
        foreach (var hierarchy in host.V1.Values.Append(host.Unified).OfType<Containode.Cgroups.CgroupHierarchy>().Distinct())
        {
            try { Directory.Delete(Path.Combine(hierarchy.OwnDirectory, Containode.Cgroups.ContainerCgroup.Subtree)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        }
    }

    /// <summary>The ID of the container named <paramref name="name"/>; null if there is none.</summary>
    public static string? IdOf(string name) =>
        new FileInfo(Path.Combine(Names, name)).LinkTarget is { } target ? Path.GetFileName(target) : null;
}
