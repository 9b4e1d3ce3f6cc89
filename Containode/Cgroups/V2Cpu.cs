namespace Containode.Cgroups;

/// <summary>The v2 cpu controller: --cpus as cpu.max ("QUOTA PERIOD"), --cpu-shares converted to cpu.weight.</summary>
internal sealed class V2Cpu(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        if (r.Cpus is { } cpus) CgroupFile.Write(directory, "cpu.max", $"{V1Cpu.QuotaMicros(cpus)} {ResourceOptions.CpuPeriodMicros}");
        if (r.CpuShares is { } shares) CgroupFile.Write(directory, "cpu.weight", Weight(shares));
    }

    /// <summary>
    /// cpu.shares (2 to 262144) as cpu.weight (1 to 10000) the way crun converts them, and runc with it
    /// (opencontainers/cgroups): a quadratic in log2(shares) that maps 2 to 1, the default 1024 to 100 (the
    /// default weight) and 262144 to 10000. crun's older linear map sent 1024 to 39, below the default.
    /// </summary>
    public static long Weight(long shares)
    {
        if (shares <= 2) return 1;
        if (shares >= 262144) return 10000;
        var l = Math.Log2(shares);
        return (long)Math.Ceiling(Math.Pow(10, ((l * l) + (125 * l)) / 612.0 - (7.0 / 34.0)));
    }
}
