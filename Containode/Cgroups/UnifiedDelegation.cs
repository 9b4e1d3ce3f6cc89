using Containet.Native;

namespace Containode.Cgroups;

/// <summary>
/// Gives a container's v2 cgroup the controllers its limits need: "+memory +pids" into cgroup.subtree_control of
/// every cgroup from the anchor (containode's own cgroup, or the deepest one of --cgroup-parent that existed)
/// down to the container's parent. The anchor must be given them by its own parent (cgroup.controllers);
/// containode never writes above it.
///
/// cgroup v2 enables controllers only below a cgroup without processes ("no internal processes"), and the
/// cgroup containode runs in holds containode. When containode is all it holds (a scope or service of its own,
/// systemd-run --scope -p Delegate=yes), containode moves itself into a leaf, <c>&lt;own&gt;/containet/_containode</c>,
/// as podman moves itself out of the way (MoveUnderCgroupSubtree) and systemd asks of delegated scopes; the
/// leaf stays for the next containode (no identity starts with '_'). When other processes share it (a login
/// shell's session), moving them is not containode's to do: that is an error that says what to do instead.
/// runc climbs to its own cgroup's parent instead, which writes outside containode's subtree.
/// </summary>
internal static class UnifiedDelegation
{
    public const string LauncherLeaf = "_containode";

    /// <param name="chain">The anchor first, then each cgroup below it down to the container's parent.</param>
    /// <param name="own">containode's own cgroup: the only anchor it may move itself out of.</param>
    public static void Enable(IReadOnlyList<string> chain, string own, IReadOnlyCollection<string> controllers)
    {
        if (controllers.Count == 0) return;
        var anchor = chain[0];
        var offered = Words(CgroupFile.Read(anchor, "cgroup.controllers"));
        var missing = controllers.Where(c => !offered.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new LaunchException($"cgroup v2 does not give {string.Join(", ", missing)} to {anchor} (its cgroup.controllers: {(offered.Count == 0 ? "none" : string.Join(' ', offered))}): " +
                "enable it in the parent's cgroup.subtree_control, or run containode where it is delegated (systemd-run --scope -p Delegate=yes)");
        foreach (var dir in chain)
        {
            var enabled = Words(CgroupFile.Read(dir, "cgroup.subtree_control"));
            var needed = controllers.Where(c => !enabled.Contains(c)).ToList();
            if (needed.Count == 0) continue;
            if (dir == anchor) MakeRoom(anchor, own);
            CgroupFile.Write(dir, "cgroup.subtree_control", string.Join(' ', needed.Select(c => "+" + c)));
        }
    }

    /// <summary>Empties the anchor of processes, which only the root cgroup (it has no cgroup.type) may keep beside controllers.</summary>
    private static void MakeRoom(string anchor, string own)
    {
        if (!CgroupFile.Exists(anchor, "cgroup.type")) return;
        var processes = CgroupFile.Read(anchor, "cgroup.procs").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (processes.Length == 0) return;
        if (anchor == own && processes is [var only] && only == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            var leaf = Path.Combine(own, ContainerCgroup.Subtree, LauncherLeaf);
            foreach (var dir in (string[])[Path.GetDirectoryName(leaf)!, leaf]) FileNodes.MakeDirectoryIfMissing(dir, Mode.O755);
            CgroupFile.Write(leaf, "cgroup.procs", "0");
            return;
        }
        throw new LaunchException($"cgroup {anchor} holds other processes ({string.Join(' ', processes.Take(5))}{(processes.Length > 5 ? " ..." : "")}), and cgroup v2 gives controllers only below a cgroup without any: " +
            "run containode in a cgroup of its own (systemd-run --scope -p Delegate=yes containode ...), or name one without processes with --cgroup-parent");
    }

    private static HashSet<string> Words(string text) => [.. text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];
}
