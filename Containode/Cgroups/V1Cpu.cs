namespace Containode.Cgroups;

/// <summary>The v1 cpu controller: --cpus as a CFS quota per 100 ms period, --cpu-shares as cpu.shares.</summary>
internal sealed class V1Cpu(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        if (r.Cpus is { } cpus)
        {
            CgroupFile.Write(directory, "cpu.cfs_period_us", ResourceOptions.CpuPeriodMicros);
            CgroupFile.Write(directory, "cpu.cfs_quota_us", QuotaMicros(cpus));
        }
        if (r.CpuShares is { } shares) CgroupFile.Write(directory, "cpu.shares", shares);
    }

    /// <summary>The CPU time in µs per 100 ms period that <paramref name="cpus"/> CPUs amount to.</summary>
    public static long QuotaMicros(decimal cpus) => (long)decimal.Round(cpus * ResourceOptions.CpuPeriodMicros);
}
