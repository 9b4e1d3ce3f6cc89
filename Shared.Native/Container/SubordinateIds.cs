using System.Globalization;

namespace Containet.Native;

/// <summary>
/// A user's id mapping for a user namespace of their own, as rootless podman makes it: their uid and gid are root
/// inside, and with ranges in /etc/subuid and /etc/subgid (and the setuid helpers newuidmap and newgidmap of Debian's
/// uidmap package, which may write them) ids 1 and up map onto those ranges; without them only the own ids.
/// containode's rootless containers and mocker's rootless unpack use the same mapping, so an image's owners in the
/// store are what the container sees.
/// </summary>
public static class SubordinateIds
{
    private const string NewUidMap = "/usr/bin/newuidmap", NewGidMap = "/usr/bin/newgidmap";

    /// <summary>The calling user's mapping, from the system's files.</summary>
    public static IdMapping ForCurrentUser()
    {
        var (uids, gids) = Mapping(Environment.UserName, Posix.EffectiveUid, Posix.EffectiveGid, "/etc/subuid", "/etc/subgid");
        return new IdMapping(uids, gids);
    }

    /// <summary>
    /// The user's own ids as root, then their subordinate ranges from ids 1 up when both files grant one and the
    /// helpers that may write them are installed; only the own ids otherwise.
    /// </summary>
    public static (IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids) Mapping(string user, uint uid, uint gid, string subuidFile, string subgidFile)
    {
        IdRange ownUid = new(0, uid, 1), ownGid = new(0, gid, 1);
        if (File.Exists(NewUidMap) && File.Exists(NewGidMap)
            && Range(subuidFile, user, uid) is { } subuid && Range(subgidFile, user, uid) is { } subgid)
            return ([ownUid, new IdRange(1, subuid.Start, subuid.Count)], [ownGid, new IdRange(1, subgid.Start, subgid.Count)]);
        return ([ownUid], [ownGid]);
    }

    /// <summary>The first "NAME:START:COUNT" (or "UID:START:COUNT") line of /etc/subuid or /etc/subgid for this user.</summary>
    public static (uint Start, uint Count)? Range(string file, string user, uint uid)
    {
        if (!File.Exists(file)) return null;
        var id = uid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(':');
            if (parts.Length == 3 && (parts[0] == user || parts[0] == id)
                && uint.TryParse(parts[1], out var start) && uint.TryParse(parts[2], out var count) && count > 0 && (ulong)start + count < uint.MaxValue)
                return (start, Math.Min(count, uint.MaxValue - 1));
        }
        return null;
    }
}
