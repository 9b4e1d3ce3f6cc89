using Containet.Native;

namespace Containode;

/// <summary>
/// The device nodes a container's /dev gets: the standard ones every container has, and host devices asked for
/// with --device. The same list is what the device cgroup lets the container open. There is no /dev/console:
/// without a terminal of its own the container has none, and the host's is never its.
/// </summary>
public static class DeviceNodes
{
    public readonly record struct Node(string Path, FileNodes.Kind Type, uint Major, uint Minor, uint Mode, string Access = "rwm", string? HostPath = null)
    {
        /// <summary>The host's node, which a container in a user namespace gets bound.</summary>
        public string Source => HostPath ?? Path;
    }

    public static readonly Node[] Standard =
    [
        new("/dev/null", FileNodes.Kind.CharDevice, 1, 3, Mode.O666),
        new("/dev/zero", FileNodes.Kind.CharDevice, 1, 5, Mode.O666),
        new("/dev/full", FileNodes.Kind.CharDevice, 1, 7, Mode.O666),
        new("/dev/random", FileNodes.Kind.CharDevice, 1, 8, Mode.O666),
        new("/dev/urandom", FileNodes.Kind.CharDevice, 1, 9, Mode.O666),
        new("/dev/tty", FileNodes.Kind.CharDevice, 5, 0, Mode.O666),
    ];

    public static readonly (string Link, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ];

    /// <summary>--device /dev/HOST[:/dev/CONTAINER][:rwm], as docker run takes it.</summary>
    public static Node Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0 || !parts[0].StartsWith('/'))
            throw new UsageException($"bad device '{spec}': expected /dev/HOST[:/dev/CONTAINER][:rwm]");
        var inside = parts.Length > 1 && parts[1].StartsWith('/') ? parts[1] : parts[0];
        var access = parts.Length == 3 ? parts[2] : parts.Length == 2 && !parts[1].StartsWith('/') ? parts[1] : "rwm";
        if (access.Length == 0 || access.Any(c => c is not ('r' or 'w' or 'm')) || access.Distinct().Count() != access.Length)
            throw new UsageException($"bad device '{spec}': the access is a combination of r, w and m");
        if (parts.Length == 3 && !parts[1].StartsWith('/'))
            throw new UsageException($"bad device '{spec}': the container path must be absolute");
        if (inside == "/dev" || !inside.StartsWith("/dev/", StringComparison.Ordinal))
            throw new UsageException($"bad device '{spec}': the container path must be under /dev");
        (FileNodes.Kind Kind, uint Major, uint Minor)? device;
        try { device = FileNodes.DeviceOf(parts[0]); }
        catch (NativeException e) { throw new LaunchException($"device {parts[0]}: {e.ErrnoName} (--device {spec})"); }
        if (device is not { } d) throw new LaunchException($"{parts[0]} is not a device node (--device {spec})");
        return new Node(inside, d.Kind, d.Major, d.Minor, Mode.O666, access, parts[0]);
    }
}
