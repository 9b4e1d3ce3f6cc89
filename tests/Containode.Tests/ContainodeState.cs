using System.Globalization;
using System.Runtime.CompilerServices;
using Containet.Native;
using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>
/// Where the containers of this test run keep their state: a temp folder of their own (CONTAINET_RUN_DIR and
/// CONTAINET_LIB_DIR, set for every containode this process starts), and an image store of their own (MOCKER_STORE),
/// so tests never see the machine's containers or images, nor leave any there; removed when the tests end, or by the
/// next run when the test runner ended this one first.
/// </summary>
internal static class ContainodeState
{
    private const string Prefix = "containode-state";
    private static readonly TempDir Dir = new(Prefix);

    public static string Run => Dir.Combine("run", "containers");
    public static string Lib => Dir.Combine("lib", "containers");
    public static string Names => Dir.Combine("lib", "names");
    public static string Images => Dir.Combine("images");

    [ModuleInitializer]
    internal static void Use()
    {
        RemoveLeftBehind();
        var me = ProcessIdentity.Of(Environment.ProcessId)!.Value;
        File.WriteAllText(Dir.Combine(OwnerFile), $"{me.Pid} {me.StartTime}");
        Environment.SetEnvironmentVariable("CONTAINET_RUN_DIR", Dir.Combine("run"));
        Environment.SetEnvironmentVariable("CONTAINET_LIB_DIR", Dir.Combine("lib"));
        Environment.SetEnvironmentVariable("MOCKER_STORE", Images);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RemoveEmptyParents();
            Dir.Dispose();
        };
    }

    private const string OwnerFile = "owner";

    /// <summary>
    /// The folders of earlier runs whose test process is gone: vstest may end a test process before its exit
    /// handler has removed a folder of a hundred records, or halfway through, owner file included. One with a run
    /// dir left (a container that may still run) is kept.
    /// </summary>
    private static void RemoveLeftBehind()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "-*"))
        {
            try
            {
                var owner = Path.Combine(folder, OwnerFile);
                if (File.Exists(owner))
                {
                    var f = File.ReadAllText(owner).Split(' ');
                    if (new ProcessIdentity(int.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture)).IsAlive) continue;
                }
                // No owner file: a run killed while its exit handler emptied the folder, unless the folder is a
                // run's that has only just made it and not yet written its owner.
                else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < TimeSpan.FromMinutes(1)) continue;
                var run = Path.Combine(folder, "run", "containers");
                if (Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any()) continue;
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { }
        }
    }

    /// <summary>
    /// The containers' parent cgroup, &lt;own&gt;/containet in each hierarchy, which containode makes and leaves (as
    /// docker leaves /docker): removed once empty, and left to a run that still has containers in it (EBUSY).
    /// </summary>
    private static void RemoveEmptyParents()
    {
        if (!Posix.IsRoot) return;
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
