namespace Containet.Control;

/// <summary>
/// Who may talk to the switch, checked with SO_PEERCRED on every connection: root, the switch's own user,
/// and members of the group named by --group (primary or supplementary, read from /proc/PID/status).
/// </summary>
public sealed class PeerPolicy(uint ownUid, uint? groupId)
{
    public bool Allows(int pid, uint uid, uint gid)
    {
        if (uid == 0 || uid == ownUid) return true;
        if (groupId is not { } g) return false;
        return gid == g || SupplementaryGroups(pid).Contains(g);
    }

    private static HashSet<uint> SupplementaryGroups(int pid)
    {
        var groups = new HashSet<uint>();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Groups:", StringComparison.Ordinal))
                    foreach (var part in line[7..].Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries))
                        if (uint.TryParse(part, out var id)) groups.Add(id);
        }
        catch (IOException)
        {
            // The peer already exited: it gets no extra groups.
        }
        return groups;
    }

    /// <summary>Looks a group name up in /etc/group; null if there is no such group.</summary>
    public static uint? ResolveGroup(string name)
    {
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && uint.TryParse(fields[2], out var id)) return id;
        }
        return uint.TryParse(name, out var numeric) ? numeric : null;
    }
}
