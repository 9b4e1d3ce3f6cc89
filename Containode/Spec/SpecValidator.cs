using Containet.Native;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// The checks a spec must pass as a whole, before any container is made of it: options that need one another or
/// exclude one another, paths that must exist, the name. Errors are usage errors (2) or launch errors (1).
/// </summary>
public static class SpecValidator
{
    public static void Check(ContainerSpec s)
    {
        if (!Posix.IsRoot) Rootless.Prepare(s);
        if (s.Root is not null && s.Image is not null) throw new UsageException("give a root (-r) or an image, not both");
        if (s.Root is not null)
        {
            s.Root = Path.GetFullPath(s.Root);
            if (!Directory.Exists(s.Root))
                throw new LaunchException(File.Exists(s.Root) ? $"root {s.Root} is not a directory" : $"root {s.Root} does not exist (-r)");
        }
        var hasRoot = s.Root is not null || s.Image is not null;
        if (s.ShareNetwork && (s.Socket is not null || s.Address is not null))
            throw new UsageException("-N shares the host's network: -s and -4 need the container's own");
        if (s.Socket is null && (s.Address is not null || s.Mac is not null || s.Mtu is not null || s.Gateway is not null || s.CtrlSocketPath is not null))
            throw new UsageException("-4, --mac, --mtu, --gateway and --ctl-socket configure eth0, which exists only with a switch (-s)");
        foreach (var v in s.Volumes)
            if (!v.Optional && !Path.Exists(v.Source))
                throw new LaunchException($"bind-mount source {v.Source} does not exist (-v {v})");
        if (s.NoOverlay && s.Top is not null)
            throw new UsageException("-C writes straight into ROOT, so there is no TOP to give");
        if (!hasRoot && (s.Top is not null || s.NoOverlay || s.ReadOnlyRoot))
            throw new UsageException("a TOP, -C and --read-only need a root filesystem (-r) or an image");
        if (hasRoot && s.ReadWriteHostRoot)
            throw new UsageException("--rw-host-root is for running on the host's root, without -r");
        if (s.Top is not null) s.Top = Path.GetFullPath(s.Top);
        if (s.Top is not null && s.Root is not null && (Ancestry.IsWithin(s.Top, s.Root) || Ancestry.IsWithin(s.Root, s.Top)))
            throw new UsageException($"TOP {s.Top} and ROOT {s.Root} must not lie inside each other: the changes would land in the image");
        if (s.Name is not null && Identity.Problem(s.Name) is { } problem)
            throw new UsageException($"bad name '{s.Name}': {problem}");
        if (s.Command.Count == 0 && s.Image is null) throw new UsageException("no command given");
        if (s.CommandFromHost && !File.Exists(s.Command[0])) throw new LaunchException($"init program {s.Command[0]} does not exist");
        if (s.Restart != RestartPolicy.No && s.AutoRemove) throw new UsageException("--restart and --rm exclude each other: a removed container cannot start again");
        foreach (var device in s.Devices) DeviceNodes.Parse(device);
        ResourceOptions.Check(s.Resources);
        if (s.Resources.StorageSize is not null && (!hasRoot || s.NoOverlay || s.Top is not null))
            throw new UsageException("--storage-opt size= keeps the changes in an image that goes with the container: it needs a root (-r) or an image with its overlay (no -C), and no TOP (-t)");
        if (!Posix.IsRoot && (s.Resources.NeedsCgroup || s.Resources.StorageSize is not null))
            throw new LaunchException("resource limits need a cgroup and --storage-opt a loop device of the container's own, which containode makes only as root");
        _ = s.Namespaces.Mapping(); // refuses a bad mapping before anything is made
    }
}
