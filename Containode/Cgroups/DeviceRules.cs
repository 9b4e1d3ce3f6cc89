namespace Containode.Cgroups;

/// <summary>
/// Which devices a container may use, as runc's and Docker's defaults have it: any node may be made (mknod),
/// so images that carry nodes unpack, but only the nodes containode puts in /dev may be opened. A node the
/// container makes itself (/dev/kmsg, a disk, /dev/net/tun) stays closed to it, whatever its capabilities.
/// </summary>
public static class DeviceRules
{
    private const uint PtyMaster = 5, PtyMasterMinor = 2, PtySlaves = 136;

    /// <summary>Every container's rules: mknod of anything, open of /dev's standard nodes, ptmx and the ptys.</summary>
    public static IReadOnlyList<DeviceRule> Default { get; } = For(privileged: false, DeviceNodes.Standard);

    /// <summary>
    /// The rules of one container: mknod of anything, and open of the nodes it gets in /dev (the standard ones
    /// and those of --device, each with its access), /dev/ptmx and the ptys of its /dev/pts; or every device
    /// (--privileged).
    /// </summary>
    public static IReadOnlyList<DeviceRule> For(bool privileged, IEnumerable<DeviceNodes.Node> nodes)
    {
        if (privileged) return [DeviceRule.AllowAll];
        var rules = new List<DeviceRule>
        {
            new(DeviceType.Char, null, null, DeviceAccess.Mknod),
            new(DeviceType.Block, null, null, DeviceAccess.Mknod),
        };
        foreach (var node in nodes)
            rules.Add(new(node.Type == Containet.Native.FileNodes.Kind.BlockDevice ? DeviceType.Block : DeviceType.Char,
                node.Major, node.Minor, DeviceRule.ParseAccess(node.Access)));
        rules.Add(new(DeviceType.Char, PtyMaster, PtyMasterMinor, DeviceAccess.All));
        rules.Add(new(DeviceType.Char, PtySlaves, null, DeviceAccess.All));
        return rules;
    }
}
