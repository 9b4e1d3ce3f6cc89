using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>
/// A parent cgroup "containet-test-…" under the test's own cgroup, in a view of this machine's hierarchies:
/// the host as it is, its unified hierarchy alone (a pure v2 host's view), or its v1 hierarchies alone (a pure
/// v1 host's view, so the v1 devices controller runs for real on a hybrid host too). Dispose removes the parent and everything in it, also when a test failed.
/// </summary>
internal sealed class RealCgroups : IDisposable
{
    private readonly TempDir files = new("containet-test-view");

    public CgroupHost Host { get; }
    public string Parent { get; } = "containet-test-" + Unique.Name();

    public RealCgroups(string view)
    {
        Host = view switch
        {
            "host" => CgroupHost.Detect(),
            "unified" => View(mount => mount.Contains(" - cgroup2 ", StringComparison.Ordinal), own => own.StartsWith("0::", StringComparison.Ordinal)),
            "v1" => View(mount => mount.Contains(" - cgroup ", StringComparison.Ordinal), own => !own.StartsWith("0::", StringComparison.Ordinal)),
            _ => throw new ArgumentException(view),
        };
    }

    /// <summary>The container's cgroup under this fixture's parent.</summary>
    public ContainerCgroup Create(string id = "c") => ContainerCgroup.Create(Host, id, Parent);

    /// <summary>The cgroup.procs files a container's first process ends up in: the v1 ones it writes, and the v2 one clone3 puts it in.</summary>
    public static string[] Joined(ContainerCgroup cgroup) =>
        [.. cgroup.ProcsFiles, .. cgroup.UnifiedDirectory is null ? [] : new[] { Path.Combine(cgroup.Directories[^1], "cgroup.procs") }];

    public void Dispose()
    {
        // Deepest first, each as a container's clean-up removes its cgroup (retried while processes leave it).
        var steps = new Containet.Native.ExitSteps();
        foreach (var hierarchy in Host.V1.Values.Append(Host.Unified).OfType<CgroupHierarchy>().Distinct())
        {
            var top = Path.Combine(hierarchy.OwnDirectory, Parent);
            if (!Directory.Exists(top)) continue;
            foreach (var d in Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                steps.RemoveCgroup(d);
            steps.RemoveCgroup(top);
        }
        steps.Run(0);
        files.Dispose();
    }

    private CgroupHost View(Func<string, bool> mount, Func<string, bool> own)
    {
        var mounts = File.ReadLines(CgroupHost.MountInfoFile).Where(mount).ToArray();
        Assert.True(mounts.Length > 0, "this test needs such a cgroup mount");
        File.WriteAllLines(files.Combine("mountinfo"), mounts);
        File.WriteAllLines(files.Combine("cgroup"), File.ReadLines(CgroupHost.OwnCgroupsFile).Where(own));
        return CgroupHost.Detect(files.Combine("mountinfo"), files.Combine("cgroup"));
    }
}

/// <summary>
/// A shell that joins cgroups by writing "0" into their cgroup.procs, says so, and stays until its stdin
/// closes; Dispose ends it by PID if it is still there.
/// </summary>
internal sealed class ProcessInCgroup : IDisposable
{
    private readonly ChildProcess process;

    public ProcessInCgroup(IEnumerable<string> procsFiles)
    {
        process = ChildProcess.Start("/bin/sh", ["-c", "for f; do echo 0 > \"$f\" || exit 99; done; echo joined; read x || true", "sh", .. procsFiles]);
        Assert.Equal("joined", process.StandardOutput.ReadLine());
    }

    public int Id => process.Id;

    /// <summary>Closes its stdin, so it ends, and waits for it.</summary>
    public void End()
    {
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(10_000), "the shell in the cgroup did not end");
    }

    public void Dispose() => process.Dispose();
}
