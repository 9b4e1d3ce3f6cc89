namespace Containode.Cgroups;

/// <summary>
/// One cgroup hierarchy as this process sees it: where it is mounted, which of its cgroups the mount shows at
/// that point (Root, usually "/"), and the cgroup this process runs in (Own). Paths inside the hierarchy are
/// as /proc/self/cgroup writes them: absolute, from the root of the process's cgroup namespace.
/// </summary>
public sealed record CgroupHierarchy(string MountPoint, string Root, string Own)
{
    /// <summary>The directory of the cgroup this process runs in.</summary>
    public string OwnDirectory => DirectoryOf(Own) ?? throw new InvalidOperationException($"{Own} is not under {Root}");

    /// <summary>The directory of a cgroup path, or null when this mount does not show it.</summary>
    public string? DirectoryOf(string cgroupPath)
    {
        if (!IsPlain(cgroupPath)) return null;
        if (cgroupPath == Root) return MountPoint;
        var below = Root == "/" ? cgroupPath : cgroupPath.StartsWith(Root + "/", StringComparison.Ordinal) ? cgroupPath[Root.Length..] : null;
        return below is null ? null : MountPoint.TrimEnd('/') + below;
    }

    /// <summary>
    /// An absolute path of named steps: no empty step, no "." or "..", nothing a cgroup name cannot hold. Only
    /// such a path may be joined to a mount point, so that nothing reaches outside it.
    /// </summary>
    public static bool IsPlain(string path)
    {
        if (path == "/") return true;
        if (!path.StartsWith('/') || path.Contains('\0') || path.Contains('\n')) return false;
        foreach (var step in path[1..].Split('/'))
            if (step is "" or "." or "..") return false;
        return true;
    }
}
