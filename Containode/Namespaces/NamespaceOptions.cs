using Containet.Native;

namespace Containode;

/// <summary>
/// Which namespaces a container gets beyond the defaults, and which it shares with the host: --userns private with
/// --uidmap/--gidmap, --timens, and --pid/--uts/--cgroupns host (--ipc and --net host are -I and -N).
/// </summary>
public sealed record NamespaceOptions
{
    /// <summary>
    /// Where container root lives on the host by default: above the ranges useradd hands out in /etc/subuid
    /// (SUB_UID_MAX is 600100000), so no user's own containers share these ids.
    /// </summary>
    public const uint DefaultHostBase = 1_000_000_000, DefaultSize = 65536;

    public bool PrivateUsers { get; init; }
    public IReadOnlyList<IdRange> UidMap { get; init; } = [];
    public IReadOnlyList<IdRange> GidMap { get; init; } = [];
    public bool Time { get; init; }

    /// <summary>The host's own namespaces the container stays in (pid, uts, cgroup).</summary>
    public Namespaces Host { get; init; }

    public NamespaceOptions WithUsers(string value) => this with
    {
        PrivateUsers = value switch
        {
            "private" => true,
            "host" => false,
            _ => throw new UsageException($"bad --userns '{value}': private or host"),
        },
    };

    public NamespaceOptions AddUidMap(string value) => this with { PrivateUsers = true, UidMap = [.. UidMap, IdMaps.Parse("--uidmap", value)] };

    public NamespaceOptions AddGidMap(string value) => this with { PrivateUsers = true, GidMap = [.. GidMap, IdMaps.Parse("--gidmap", value)] };

    /// <summary>--pid host and the like: the container stays in the host's namespace of that kind.</summary>
    public NamespaceOptions Share(Namespaces kind, string option, string value) => this with
    {
        Host = IsHost(option, value) ? Host | kind : Host & ~kind,
    };

    /// <summary>host or private, for the options that keep a bool of their own (--net, --ipc).</summary>
    public static bool IsHost(string option, string value) => value switch
    {
        "host" => true,
        "private" => false,
        _ => throw new UsageException($"bad {option} '{value}': host or private"),
    };

    /// <summary>The maps of the container's user namespace, or null without one. --gidmap defaults to --uidmap, as in podman.</summary>
    public IdMapping? Mapping()
    {
        if (!PrivateUsers) return null;
        IReadOnlyList<IdRange> uids = UidMap.Count > 0 ? UidMap : [new IdRange(0, DefaultHostBase, DefaultSize)];
        var gids = GidMap.Count > 0 ? GidMap : uids;
        IdMaps.Validate("--uidmap", uids);
        IdMaps.Validate("--gidmap", gids);
        if (Host.HasFlag(Namespaces.Pid))
            throw new UsageException("--pid host cannot go with --userns private: a user namespace cannot mount the host's /proc");
        return new IdMapping(uids, gids);
    }
}
