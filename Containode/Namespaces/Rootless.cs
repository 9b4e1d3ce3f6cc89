using Containet.Native;

namespace Containode;

/// <summary>
/// A container started by a user other than root (no sudo), as rootless podman and bubblewrap run them. It always
/// has a user namespace: the user's uid is root inside, and ids 1 and up map onto their subordinate ranges when they
/// have them (<see cref="SubordinateIds"/>); without them only the user's own id is mapped. Its
/// state goes under $XDG_RUNTIME_DIR/containet (or /tmp/containet-UID), its TOPs under ~/.local/share/containet.
/// What cannot work without privilege is refused, with the reason.
/// </summary>
public static class Rootless
{
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
        if (o.Devices.Count > 0) Refuse("--device", "the device cgroup that limits a device's access needs root");
        foreach (var v in o.Volumes) CheckReadable(v.Source, v.ToString());
        var namespaces = o.Namespaces with { PrivateUsers = true };
        if (namespaces.UidMap.Count == 0 && namespaces.GidMap.Count == 0)
        {
            var mapping = SubordinateIds.ForCurrentUser();
            namespaces = namespaces with { UidMap = mapping.Uids, GidMap = mapping.Gids };
        }
        o.Namespaces = namespaces;
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
