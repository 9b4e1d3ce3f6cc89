using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// A container's own cgroup, <c>&lt;containode's cgroup&gt;/containet/&lt;ID&gt;</c> in each hierarchy it uses:
/// the v1 hierarchies of the controllers it sets, and the unified one when mounted (the child starts there,
/// with clone3's CLONE_INTO_CGROUP). Devices go through a v2 device program wherever cgroup2 is mounted, hybrid
/// hosts included, and through v1's devices controller only without cgroup2: joining a v1 cgroup is a
/// migration, which waits for an RCU grace period (about 10 ms here), where starting in a v2 cgroup costs
/// nothing. Removed at exit by <see cref="Remove"/> or by containet-wait (<see cref="AddExitSteps"/>).
/// </summary>
public sealed class ContainerCgroup : IDisposable
{
    /// <summary>The folder under containode's own cgroup that holds the containers' cgroups.</summary>
    public const string Subtree = "containet";

    /// <summary>The v1 controllers a container's cgroup is made in.</summary>
    internal static readonly string[] V1Controllers = ["devices"];

    private const uint Mode = 0x1ed; // 0755
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);

    private readonly string? devices; // the container's directory in the v1 devices hierarchy

    /// <summary>The container's cgroup directories, one per hierarchy: what goes at exit.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>The v1 cgroup.procs files the container's first process joins by writing "0" into each.</summary>
    public IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The v2 directory (O_DIRECTORY) for clone3's CLONE_INTO_CGROUP; null without cgroup2.</summary>
    public SafeFd? UnifiedDirectory { get; }

    private ContainerCgroup(List<string> directories, List<string> procsFiles, string? devices, SafeFd? unified)
    {
        Directories = directories;
        ProcsFiles = procsFiles;
        this.devices = devices;
        UnifiedDirectory = unified;
    }

    /// <summary>
    /// Makes the container's cgroup in every hierarchy it uses. <paramref name="parent"/> replaces
    /// <c>&lt;own&gt;/containet</c>: an absolute path is a cgroup as /proc/self/cgroup names them, a relative
    /// one lies under containode's own cgroup. A directory left by a container whose monitor was killed is
    /// reused once it is empty; one with processes in it means the identity is in use. A failure half-way
    /// removes what this call made.
    /// </summary>
    public static ContainerCgroup Create(CgroupHost host, string id, string? parent = null)
    {
        if (id.Contains('/') || id is "" or "." or "..") throw new ArgumentException($"'{id}' is not a name", nameof(id));
        var hierarchies = new List<CgroupHierarchy>();
        foreach (var controller in V1Controllers)
            if ((controller != "devices" || host.Unified is null) && host.V1.TryGetValue(controller, out var h) && !hierarchies.Contains(h))
                hierarchies.Add(h);
        if (host.Unified is not null) hierarchies.Add(host.Unified);
        if (hierarchies.Count == 0)
            throw new LaunchException("no cgroup hierarchy to hold the container: mount cgroup2 on /sys/fs/cgroup, or the v1 devices controller");

        var made = new List<string>();
        SafeFd? unified = null;
        try
        {
            var directories = new List<string>();
            var procsFiles = new List<string>();
            string? devices = null;
            foreach (var hierarchy in hierarchies)
            {
                var directory = Path.Combine(MakeParent(hierarchy, parent, made), id);
                MakeFresh(directory, id);
                made.Add(directory);
                directories.Add(directory);
                if (hierarchy == host.Unified) unified = FileNodes.OpenDirectory(directory);
                else procsFiles.Add(Path.Combine(directory, "cgroup.procs"));
                if (hierarchy == host.V1.GetValueOrDefault("devices")) devices = directory;
            }
            return new ContainerCgroup(directories, procsFiles, devices, unified);
        }
        catch
        {
            unified?.Dispose();
            for (var i = made.Count - 1; i >= 0; i--) TryRemove(made[i]);
            throw;
        }
    }

    /// <summary>No cgroup at all, for a container started without root: applying settings to it does nothing.</summary>
    public static ContainerCgroup None() => new([], [], null, null);

    /// <summary>
    /// Applies the settings. The cgroup stays as it is when this fails: <see cref="Remove"/> it.
    /// </summary>
    public void Apply(CgroupSettings settings)
    {
        if (Directories.Count == 0) return;
        ICgroupController controller = devices is not null ? new V1Devices(devices)
            : UnifiedDirectory is not null ? new V2Devices(UnifiedDirectory)
            : throw new LaunchException("no devices controller and no cgroup2: device rules cannot be enforced");
        controller.Apply(settings);
    }

    /// <summary>What <see cref="Remove"/> does, left to containet-wait once the container runs.</summary>
    public void AddExitSteps(ExitSteps steps)
    {
        foreach (var directory in Directories) steps.RemoveCgroup(directory);
    }

    /// <summary>
    /// Removes the container's directories, waiting up to <paramref name="timeout"/> (2 s) while its last
    /// processes are still leaving them (EBUSY). The error is the first directory's that stayed.
    /// </summary>
    public void Remove(TimeSpan? timeout = null)
    {
        UnifiedDirectory?.Dispose();
        var deadline = DateTime.UtcNow + (timeout ?? RemoveTimeout);
        NativeException? failed = null;
        foreach (var directory in Directories)
        {
            try { RemoveDirectory(directory, deadline); }
            catch (NativeException e) { failed ??= e; }
        }
        if (failed is not null) throw failed;
    }

    public void Dispose() => UnifiedDirectory?.Dispose();

    /// <summary>rmdir(2), retried on EBUSY until the deadline; a directory that is gone already is fine.</summary>
    internal static void RemoveDirectory(string directory, DateTime deadline)
    {
        while (true)
        {
            try
            {
                FileNodes.RemoveDirectory(directory);
                return;
            }
            catch (NativeException e) when (e.Errno == Errno.ENOENT) { return; }
            catch (NativeException e) when (e.Errno == Errno.EBUSY && DateTime.UtcNow < deadline) { Thread.Sleep(10); }
        }
    }

    /// <summary>The parent's directory in one hierarchy, made step by step from the mount point where missing.</summary>
    private static string MakeParent(CgroupHierarchy hierarchy, string? parent, List<string> made)
    {
        var path = parent is null ? Join(hierarchy.Own, Subtree) : parent.StartsWith('/') ? parent : Join(hierarchy.Own, parent);
        var directory = hierarchy.DirectoryOf(path)
            ?? throw new LaunchException($"cgroup parent '{path}' is not a plain path inside what {hierarchy.MountPoint} shows");
        var step = hierarchy.MountPoint;
        foreach (var name in directory[step.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            step = Path.Combine(step, name);
            try
            {
                FileNodes.MakeDirectory(step, Mode);
                made.Add(step);
            }
            catch (NativeException e) when (e.Errno == Errno.EEXIST) { }
        }
        return directory;
    }

    private static string Join(string cgroupPath, string relative) => cgroupPath == "/" ? "/" + relative : cgroupPath + "/" + relative;

    /// <summary>Makes the container's directory; an empty one left behind by a killed monitor is replaced.</summary>
    private static void MakeFresh(string directory, string id)
    {
        try
        {
            FileNodes.MakeDirectory(directory, Mode);
        }
        catch (NativeException e) when (e.Errno == Errno.EEXIST)
        {
            try { FileNodes.RemoveDirectory(directory); }
            catch (NativeException busy) when (busy.Errno == Errno.EBUSY)
            {
                throw new LaunchException($"cgroup {directory} is in use: a container '{id}' still runs");
            }
            FileNodes.MakeDirectory(directory, Mode);
        }
    }

    private static void TryRemove(string directory)
    {
        try { FileNodes.RemoveDirectory(directory); }
        catch (NativeException) { }
    }
}
