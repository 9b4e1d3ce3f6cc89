using Containet.Native;

namespace Containode;

/// <summary>
/// A container started by a user other than root (no sudo), as rootless podman and bubblewrap run them. It always
/// has a user namespace: the user's uid is root inside, and with ranges in /etc/subuid and /etc/subgid (and Debian's
/// uidmap package) ids 1 and up map onto those, as podman does; without them only the user's own id is mapped. Its
/// state goes under $XDG_RUNTIME_DIR/containet (or /tmp/containet-UID), its TOPs under ~/.local/share/containet.
/// What cannot work without privilege is refused, with the reason.
/// </summary>
public static class Rootless
{
    private const string NewUidMap = "/usr/bin/newuidmap", NewGidMap = "/usr/bin/newgidmap";

    /// <summary>The user's own state directory, made owner-only when missing.</summary>
    public static string StateDirectory
    {
        get
        {
            var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            return Own(runtime is { Length: > 0 } && Path.IsPathRooted(runtime) && Directory.Exists(runtime)
                ? Path.Combine(runtime, "containet")
                : $"/tmp/containet-{Posix.EffectiveUid}");
        }
    }

    /// <summary>
    /// A name in /tmp anyone could have taken first: it must be a real directory of this user's that nobody else
    /// may write, or another user would hold the container's state.
    /// </summary>
    private static string Own(string directory)
    {
        if (Posix.TypeOf(directory) == Posix.FileType.Missing)
            Directory.CreateDirectory(directory, (UnixFileMode)Mode.O700);
        if (Posix.TypeOf(directory) != Posix.FileType.Directory || Posix.OwnerOf(directory) != Posix.EffectiveUid
            || (File.GetUnixFileMode(directory) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            throw new LaunchException($"{directory} is not a directory of yours that only you may write: remove it, or set XDG_RUNTIME_DIR");
        return directory;
    }

    public static string DataDirectory => UserData.Directory;

    /// <summary>Refuses what a user cannot do and gives the container its user namespace.</summary>
    public static void Prepare(ContainerSpec o)
    {
        if (o.Privileged) Refuse("--privileged", "every capability of the host is root's alone");
        if (o.Socket is not null) Refuse("-s", "plugging a TAP into the switch is not done for users yet; without -s the container has lo only");
        if (o.Devices.Count > 0) Refuse("--device", "the device cgroup that limits a device's access needs root");
        foreach (var v in o.Volumes) CheckReadable(v.Source, v.ToString());
        var namespaces = o.Namespaces with { PrivateUsers = true };
        if (namespaces.UidMap.Count == 0 && namespaces.GidMap.Count == 0)
        {
            var (uids, gids) = Mapping(Environment.UserName, Posix.EffectiveUid, Posix.EffectiveGid, "/etc/subuid", "/etc/subgid");
            namespaces = namespaces with { UidMap = uids, GidMap = gids };
        }
        o.Namespaces = namespaces;
    }

    /// <summary>
    /// The user's own ids as root, then their subordinate ranges from ids 1 up when both files grant one and the
    /// helpers that may write them are installed; only the own ids otherwise.
    /// </summary>
    public static (IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids) Mapping(string user, uint uid, uint gid, string subuidFile, string subgidFile)
    {
        IdRange ownUid = new(0, uid, 1), ownGid = new(0, gid, 1);
        if (File.Exists(NewUidMap) && File.Exists(NewGidMap)
            && SubordinateRange(subuidFile, user, uid) is { } subuid && SubordinateRange(subgidFile, user, uid) is { } subgid)
            return ([ownUid, new IdRange(1, subuid.Start, subuid.Count)], [ownGid, new IdRange(1, subgid.Start, subgid.Count)]);
        return ([ownUid], [ownGid]);
    }

    /// <summary>The first "NAME:START:COUNT" (or "UID:START:COUNT") line of /etc/subuid or /etc/subgid for this user.</summary>
    public static (uint Start, uint Count)? SubordinateRange(string file, string user, uint uid)
    {
        if (!File.Exists(file)) return null;
        var id = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(':');
            if (parts.Length == 3 && (parts[0] == user || parts[0] == id)
                && uint.TryParse(parts[1], out var start) && uint.TryParse(parts[2], out var count) && count > 0 && (ulong)start + count < uint.MaxValue)
                return (start, Math.Min(count, uint.MaxValue - 1));
        }
        return null;
    }

    /// <summary>
    /// No cgroup of the container's own: a user may not make one outside a delegated subtree, nor attach the device
    /// program to it. Its devices are the host's own nodes, bound, which a user namespace cannot add to.
    /// </summary>
    public static Cgroups.ContainerCgroup NoCgroup()
    {
        Posix.WriteError("containode: running without root: the container gets no cgroup of its own, so no limits are applied");
        return Cgroups.ContainerCgroup.None();
    }

    private static void CheckReadable(string source, string spec)
    {
        try
        {
            if (Directory.Exists(source)) _ = Directory.EnumerateFileSystemEntries(source).Any(); // reading is the check
            else File.OpenRead(source).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            Refuse("-v " + spec, $"you cannot read {source}");
        }
    }

    private static void Refuse(string what, string why) => throw new LaunchException($"{what} cannot work without root: {why}");
}
