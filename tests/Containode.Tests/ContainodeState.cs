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
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dir.Dispose();
    }

    /// <summary>The ID of the container named <paramref name="name"/>; null if there is none.</summary>
    public static string? IdOf(string name) =>
        new FileInfo(Path.Combine(Names, name)).LinkTarget is { } target ? Path.GetFileName(target) : null;
}
