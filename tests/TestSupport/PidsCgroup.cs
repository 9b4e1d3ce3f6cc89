namespace Containet.TestSupport;

/// <summary>
/// A cgroup v1 pids controller group, made as a child of the test process's own group under a unique name and
/// removed on Dispose (once whatever ran in it has ended).
/// </summary>
public sealed class PidsCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup/pids";

    public string Path { get; }

    public PidsCgroup()
    {
        var own = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).Single(f => f[1].Split(',').Contains("pids"))[2];
        Path = System.IO.Path.Join(Root, own, "containet-test-" + Unique.Name());
        Directory.CreateDirectory(Path);
    }

    public static bool Available => File.Exists(System.IO.Path.Join(Root, "cgroup.procs"));

    /// <summary>How many tasks (threads and processes) the group holds now.</summary>
    public int Current => int.Parse(File.ReadAllText(System.IO.Path.Join(Path, "pids.current")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Caps the tasks of the group; the kernel refuses fork and thread creation beyond it.</summary>
    public void Limit(int max) => File.WriteAllText(System.IO.Path.Join(Path, "pids.max"), max.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        File.WriteAllText(System.IO.Path.Join(Path, "pids.max"), "max");
        Eventually.True(() => File.ReadAllText(System.IO.Path.Join(Path, "cgroup.procs")).Trim().Length == 0, "the cgroup's processes to end");
        Directory.Delete(Path);
    }
}
