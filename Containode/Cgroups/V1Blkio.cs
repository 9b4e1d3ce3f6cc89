namespace Containode.Cgroups;

/// <summary>
/// The v1 blkio controller: one "MAJ:MIN RATE" line per device in each throttle file, and --blkio-weight in
/// blkio.weight (CFQ's), or blkio.bfq.weight where BFQ is the scheduler; a host with neither has no weights.
/// </summary>
internal sealed class V1Blkio(string directory) : ICgroupController
{
    public const string NoWeights = "--blkio-weight needs an I/O scheduler with weights (BFQ): this host's disks have none (echo bfq > /sys/block/DISK/queue/scheduler)";

    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        Throttle("blkio.throttle.read_bps_device", r.DeviceReadBps);
        Throttle("blkio.throttle.write_bps_device", r.DeviceWriteBps);
        Throttle("blkio.throttle.read_iops_device", r.DeviceReadIops);
        Throttle("blkio.throttle.write_iops_device", r.DeviceWriteIops);
        if (r.BlkioWeight is { } weight)
        {
            string[] files = ["blkio.weight", "blkio.bfq.weight"];
            var file = files.FirstOrDefault(f => CgroupFile.Exists(directory, f)) ?? throw new LaunchException(NoWeights);
            CgroupFile.Write(directory, file, weight);
        }
    }

    private void Throttle(string file, IReadOnlyList<DeviceRate> rates)
    {
        if (rates.Count > 0) CgroupFile.WriteEach(directory, file, rates.Select(d => $"{d.Device} {d.Rate}"));
    }
}
