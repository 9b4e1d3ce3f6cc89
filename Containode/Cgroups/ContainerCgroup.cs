using Mocker;
using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// A container's own cgroup, <c>&lt;containode's cgroup&gt;/containet/&lt;ID&gt;</c> in each hierarchy it uses:
/// every mounted v1 hierarchy of a controller containode reads (so any container has its usage counted and
/// <c>stats</c> can show it) or that one of its limits sets, and the unified one when mounted (the child starts there, with clone3's
/// CLONE_INTO_CGROUP). Devices go through a v2 device program wherever cgroup2 is mounted, hybrid hosts
/// included, and through v1's devices controller only without cgroup2. <see cref="Apply"/> sets devices and
/// limits through one controller per file and version (ContainerCgroup.Apply.cs). Removed at exit by the
/// container's clean-up (<see cref="AddExitSteps"/>), which containet-wait runs, or the launcher when a start fails.
/// </summary>
public sealed partial class ContainerCgroup : IDisposable
{
    /// <summary>The folder under containode's own cgroup that holds the containers' cgroups.</summary>
    public const string Subtree = "containet";

    /// <summary>The v1 controllers a container's cgroup is made in where they are mounted (devices only without cgroup2).</summary>
    internal static readonly string[] V1Controllers = ["devices", "memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "net_cls"];

    private readonly string id;
    private readonly Dictionary<string, string> v1; // controller → the container's directory in its hierarchy
    private readonly string? unified; // the container's directory in the unified hierarchy
    private readonly IReadOnlyList<string> unifiedChain; // from the anchor down to the container's parent (UnifiedDelegation)
    private readonly string? unifiedOwn;
    private readonly bool unifiedOnly; // the host mounts no v1 hierarchy at all
    private ResourceLimits applied = ResourceLimits.None;

    /// <summary>The container's cgroup directories, one per hierarchy: what goes at exit.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>
    /// The v1 files the container's first process joins by writing "0" into each: "tasks", which moves the
    /// writing thread alone. The child of the clone step has one thread, so that is the whole process; and
    /// the kernel moves the current thread without the global lock that a write to cgroup.procs takes, and
    /// without waiting for that lock's RCU grace period.
    /// </summary>
    public IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The v2 directory (O_DIRECTORY) for clone3's CLONE_INTO_CGROUP; null without cgroup2.</summary>
    public SafeFd? UnifiedDirectory { get; }

    /// <summary>
    /// The container's directory per v1 controller, and "unified" for the v2 one: what <see cref="CgroupStats"/>
    /// reads, kept in the container's run directory for <c>stats</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ByController =>
        v1.Concat(unified is null ? [] : [KeyValuePair.Create(CgroupStats.Unified, unified)]).ToDictionary();

    private ContainerCgroup(string id, Dictionary<string, string> v1, string? unified, IReadOnlyList<string> unifiedChain,
        string? unifiedOwn, bool unifiedOnly, List<string> directories, List<string> procsFiles, SafeFd? unifiedFd)
    {
        this.unifiedOnly = unifiedOnly;
        this.id = id;
        this.v1 = v1;
        this.unified = unified;
        this.unifiedChain = unifiedChain;
        this.unifiedOwn = unifiedOwn;
        Directories = directories;
        ProcsFiles = procsFiles;
        UnifiedDirectory = unifiedFd;
    }

    /// <summary>
    /// Makes the container's cgroup in every hierarchy it uses. <paramref name="parent"/> replaces
    /// <c>&lt;own&gt;/containet</c>: an absolute path is a cgroup as /proc/self/cgroup names them, a relative
    /// one lies under containode's own cgroup. A directory left by a container whose monitor was killed is
    /// reused once it is empty; one with processes in it means the identity is in use. A failure half-way
    /// removes what this call made.
    /// </summary>
    /// <param name="limits">What the container asks for: a hierarchy only its limits need (cpu, cpuset) is made only when asked.</param>
    public static ContainerCgroup Create(CgroupHost host, string id, string? parent = null, ResourceLimits? limits = null)
    {
        limits ??= ResourceLimits.None;
        CheckName(id);
        if (host.Unified is null && !host.V1.ContainsKey("devices"))
            throw new LaunchException("no cgroup hierarchy to hold the container: mount cgroup2 on /sys/fs/cgroup, or the v1 devices controller");

        var made = new List<string>();
        SafeFd? unifiedFd = null;
        try
        {
            var directories = new List<string>();
            var procsFiles = new List<string>();
            var v1 = new Dictionary<string, string>();
            string? unified = null;
            IReadOnlyList<string> chain = [];
            foreach (var hierarchy in Hierarchies(host, limits))
            {
                var parentDirectory = MakeParent(hierarchy, parent, made, out var anchor);
                var directory = Path.Combine(parentDirectory, id);
                MakeFresh(directory, id);
                made.Add(directory);
                directories.Add(directory);
                if (hierarchy == host.V1.GetValueOrDefault("cpuset")) V1Cpuset.Inherit(directory, hierarchy.MountPoint);
                if (hierarchy == host.Unified)
                {
                    unifiedFd = FileNodes.OpenDirectory(directory);
                    unified = directory;
                    chain = Chain(anchor, parentDirectory);
                }
                else procsFiles.Add(Path.Combine(directory, "tasks"));
                foreach (var controller in V1Controllers)
                    if (Uses(host, controller, limits) && host.V1[controller] == hierarchy) v1[controller] = directory;
            }
            return new ContainerCgroup(id, v1, unified, chain, host.Unified?.OwnDirectory, host.V1.Count == 0, directories, procsFiles, unifiedFd);
        }
        catch
        {
            unifiedFd?.Dispose();
            for (var i = made.Count - 1; i >= 0; i--) TryRemove(made[i]);
            throw;
        }
    }

    /// <summary>
    /// Lets the container's first process join its v1 cgroups from inside a user namespace, as that namespace's
    /// root (<paramref name="owner"/>, its host uid and gid): it owns the tasks files it writes "0" into, as runc
    /// hands a cgroup to a container's root. Nothing else of the cgroup becomes its; its limits stay root's.
    /// </summary>
    public void LetJoin((uint Uid, uint Gid) owner)
    {
        foreach (var file in ProcsFiles) FileNodes.Lchown(file, (int)owner.Uid, (int)owner.Gid);
    }

    /// <summary>No cgroup at all, for a container started without root: it takes device rules as given and no limit.</summary>
    public static ContainerCgroup None() => new("", [], null, [], null, unifiedOnly: false, [], [], null);

    /// <summary>
    /// Removes the cgroup a container of this identity left when its monitor was killed (SIGKILL) before its
    /// clean-up, for rm and prune: each hierarchy's directory, once no process is in it (one that still holds
    /// some means the container runs). A directory that is gone already is fine.
    /// </summary>
    public static void RemoveLeftOver(CgroupHost host, string id, string? parent = null)
    {
        CheckName(id);
        foreach (var hierarchy in Hierarchies(host))
        {
            var directory = Path.Combine(ParentDirectory(hierarchy, parent), id);
            try { FileNodes.RemoveDirectory(directory); }
            catch (NativeException e) when (e.Errno == Errno.ENOENT) { }
            catch (NativeException e) when (e.Errno == Errno.EBUSY) { throw new LaunchException(InUse(directory, id)); }
        }
    }

    /// <summary>
    /// The hierarchies a container's cgroup is made in: each v1 one it uses, then the unified one. Without
    /// <paramref name="limits"/>, each one any container may have (what a removal looks through).
    /// </summary>
    internal static List<CgroupHierarchy> Hierarchies(CgroupHost host, ResourceLimits? limits = null)
    {
        var hierarchies = new List<CgroupHierarchy>();
        foreach (var controller in V1Controllers)
            if (Uses(host, controller, limits) && !hierarchies.Contains(host.V1[controller])) hierarchies.Add(host.V1[controller]);
        if (host.Unified is not null) hierarchies.Add(host.Unified);
        return hierarchies;
    }

    /// <summary>
    /// Whether the container's cgroup is made in a v1 controller's hierarchy: where mounted, devices only without
    /// cgroup2, and cpu and cpuset only for their limits. Nothing reads those two otherwise (stats reads cpuacct),
    /// and each hierarchy costs a start a mkdir, a join and an rmdir.
    /// </summary>
    internal static bool Uses(CgroupHost host, string controller, ResourceLimits? limits = null) =>
        host.V1.ContainsKey(controller) && (controller != "devices" || host.Unified is null) && (limits is null || controller switch
        {
            "cpu" => limits.LimitsCpu,
            "cpuset" => limits.CpusetCpus is not null,
            _ => true,
        });

    /// <summary>
    /// Its part of the clean-up: each directory's removal (rmdir, retried while its last processes leave it);
    /// before it, the report of an OOM kill, read from the memory controller's counter while the cgroup still
    /// exists, and kept in <paramref name="oomMark"/> when given.
    /// </summary>
    public void AddExitSteps(ExitSteps steps, string? oomMark = null)
    {
        if (OomEventsFile is { } events)
        {
            var limit = applied.Memory is { } memory ? $" (limit {ByteSize.Format(memory)})" : "";
            steps.ReportOom(events, $"containode: {id} was killed: out of memory{limit}", oomMark);
        }
        foreach (var directory in Directories) steps.RemoveCgroup(directory);
    }

    /// <summary>The file whose "oom_kill N" counts the container's OOM kills: v1's memory.oom_control, or v2's memory.events.</summary>
    public string? OomEventsFile =>
        v1.TryGetValue("memory", out var memory) ? Path.Combine(memory, "memory.oom_control")
        : unified is not null ? Path.Combine(unified, "memory.events")
        : null;

    public void Dispose() => UnifiedDirectory?.Dispose();

    /// <summary>
    /// The parent's directory in one hierarchy, made step by step from the mount point where missing. The
    /// anchor is where containode may start enabling v2 controllers: its own cgroup, or for an absolute parent
    /// the deepest step of it that existed.
    /// </summary>
    private static string MakeParent(CgroupHierarchy hierarchy, string? parent, List<string> made, out string anchor)
    {
        var directory = ParentDirectory(hierarchy, parent);
        string? deepestExisting = null;
        var step = hierarchy.MountPoint;
        foreach (var name in directory[step.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var above = step;
            step = Path.Combine(step, name);
            if (!FileNodes.MakeDirectoryIfMissing(step, Mode.O755)) continue;
            made.Add(step);
            deepestExisting ??= above;
        }
        anchor = parent is not null && parent.StartsWith('/') ? deepestExisting ?? directory : hierarchy.OwnDirectory;
        return directory;
    }

    /// <summary>The parent's directory in one hierarchy: containet under the own cgroup, or --cgroup-parent's.</summary>
    private static string ParentDirectory(CgroupHierarchy hierarchy, string? parent)
    {
        var path = parent is null ? Join(hierarchy.Own, Subtree) : parent.StartsWith('/') ? parent : Join(hierarchy.Own, parent);
        return hierarchy.DirectoryOf(path)
            ?? throw new LaunchException($"cgroup parent '{path}' is not a plain path inside what {hierarchy.MountPoint} shows");
    }

    /// <summary>The directories from <paramref name="top"/> down to <paramref name="bottom"/>, both included.</summary>
    private static List<string> Chain(string top, string bottom)
    {
        var chain = new List<string> { top };
        foreach (var name in bottom[top.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries)) chain.Add(Path.Combine(chain[^1], name));
        return chain;
    }

    private static string Join(string cgroupPath, string relative) => cgroupPath == "/" ? "/" + relative : cgroupPath + "/" + relative;

    /// <summary>Makes the container's directory; an empty one left behind by a killed monitor is replaced.</summary>
    private static void MakeFresh(string directory, string id)
    {
        if (FileNodes.MakeDirectoryIfMissing(directory, Mode.O755)) return;
        try { FileNodes.RemoveDirectory(directory); }
        catch (NativeException busy) when (busy.Errno == Errno.EBUSY)
        {
            throw new LaunchException(InUse(directory, id));
        }
        FileNodes.MakeDirectory(directory, Mode.O755);
    }

    private static void CheckName(string id)
    {
        if (id.Contains('/') || id is "" or "." or "..") throw new ArgumentException($"'{id}' is not a name", nameof(id));
    }

    private static string InUse(string directory, string id) => $"cgroup {directory} is in use: a container '{id}' still runs";

    private static void TryRemove(string directory)
    {
        try { FileNodes.RemoveDirectory(directory); }
        catch (NativeException) { }
    }
}
