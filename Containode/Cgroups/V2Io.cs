namespace Containode.Cgroups;

/// <summary>
/// The v2 io controller: io.max, one line per device with the rates given for it ("8:0 rbps=N wiops=N"), and
/// --blkio-weight in io.bfq.weight as it is where BFQ is the scheduler, else converted to io.weight, as runc does.
/// </summary>
internal sealed class V2Io(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        var lines = new SortedDictionary<(uint, uint), List<string>>();
        Add(lines, "rbps", r.DeviceReadBps);
        Add(lines, "wbps", r.DeviceWriteBps);
        Add(lines, "riops", r.DeviceReadIops);
        Add(lines, "wiops", r.DeviceWriteIops);
        if (lines.Count > 0) CgroupFile.WriteEach(directory, "io.max", lines.Select(l => $"{l.Key.Item1}:{l.Key.Item2} {string.Join(' ', l.Value)}"));
        if (r.BlkioWeight is { } weight)
        {
            if (CgroupFile.Exists(directory, "io.bfq.weight")) CgroupFile.Write(directory, "io.bfq.weight", weight);
            else if (CgroupFile.Exists(directory, "io.weight")) CgroupFile.Write(directory, "io.weight", $"default {Weight(weight)}");
            else throw new LaunchException(V1Blkio.NoWeights);
        }
    }

    /// <summary>blkio.weight (10 to 1000) onto io.weight (1 to 10000), linearly, as runc's ConvertBlkIOToIOWeightValue.</summary>
    public static long Weight(long blkioWeight) => 1 + ((blkioWeight - 10) * 9999 / 990);

    private static void Add(SortedDictionary<(uint, uint), List<string>> lines, string key, IReadOnlyList<DeviceRate> rates)
    {
        foreach (var d in rates)
        {
            if (!lines.TryGetValue((d.Major, d.Minor), out var keys)) lines[(d.Major, d.Minor)] = keys = [];
            keys.Add($"{key}={d.Rate}");
        }
    }
}
