using Containet.TestSupport;
using Containode.Cgroups;

namespace Containode.Tests.Cgroups;

/// <summary>
/// A cgroupfs laid out in a temp folder (whose name has a space, so mountinfo escapes it): a mount point per
/// hierarchy, the caller's own cgroup directory in each, and the mountinfo and /proc/self/cgroup that
/// describe them. What the kernel would add by itself (control files) the tests add with <see cref="Touch"/>.
/// </summary>
internal sealed class FakeCgroupFs : IDisposable
{
    private readonly TempDir dir = new("containet-test-cgroupfs");
    private readonly List<string> mountInfo = [];
    private readonly List<string> ownCgroups = [];

    public string Combine(params string[] parts) => dir.Combine(["sys fs", .. parts]);

    /// <summary>A v1 hierarchy of one or more controllers ("cpu,cpuacct", "name=systemd") mounted at sys fs/NAME.</summary>
    public FakeCgroupFs V1(string controllers, string own = "/")
    {
        var id = ownCgroups.Count + 1;
        Mount("cgroup", controllers, "rw," + controllers);
        ownCgroups.Add($"{id}:{controllers}:{own}");
        Directory.CreateDirectory(Combine(controllers) + own);
        return this;
    }

    /// <summary>The unified hierarchy, mounted at sys fs/NAME.</summary>
    public FakeCgroupFs V2(string own = "/", string name = "unified")
    {
        Mount("cgroup2", name, "rw,nsdelegate");
        ownCgroups.Insert(0, $"0::{own}");
        Directory.CreateDirectory(Combine(name) + own);
        return this;
    }

    public CgroupHost Host()
    {
        File.WriteAllLines(dir.Combine("mountinfo"), mountInfo);
        File.WriteAllLines(dir.Combine("cgroup"), ownCgroups);
        return CgroupHost.Detect(dir.Combine("mountinfo"), dir.Combine("cgroup"));
    }

    /// <summary>Creates the empty files the kernel would have made in a new cgroup directory.</summary>
    public static void Touch(string directory, params string[] files)
    {
        foreach (var f in files) File.WriteAllText(Path.Combine(directory, f), "");
    }

    /// <summary>Every directory and file under the fake sys fs, to show that nothing changed.</summary>
    public string[] Tree() => [.. Directory.EnumerateFileSystemEntries(Combine(), "*", SearchOption.AllDirectories).Order()];

    public void Dispose() => dir.Dispose();

    private void Mount(string type, string name, string superOptions) =>
        mountInfo.Add($"{30 + mountInfo.Count} 23 0:{40 + mountInfo.Count} / {Combine(name).Replace(" ", "\\040")} rw,nosuid,nodev,noexec,relatime shared:9 - {type} {type} {superOptions}");
}
