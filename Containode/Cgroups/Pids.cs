namespace Containode.Cgroups;

/// <summary>The pids controller, the same file on v1 and v2: pids.max, "max" for no limit.</summary>
internal sealed class Pids(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        if (settings.Resources.PidsLimit is { } limit)
            CgroupFile.Write(directory, "pids.max", limit == ResourceLimits.Unlimited ? "max" : limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
