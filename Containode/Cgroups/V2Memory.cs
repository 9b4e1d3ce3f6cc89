namespace Containode.Cgroups;

/// <summary>
/// The v2 memory controller: memory.max, memory.swap.max (swap alone, so docker's memory-plus-swap less the
/// memory), and memory.low for --memory-reservation, as runc and crun map them.
/// </summary>
internal sealed class V2Memory(string directory) : ICgroupController
{
    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        if (r.Memory is { } memory) CgroupFile.Write(directory, "memory.max", memory);
        if (r.EffectiveMemorySwap is { } swap)
        {
            if (CgroupFile.Exists(directory, "memory.swap.max"))
                CgroupFile.Write(directory, "memory.swap.max", swap == ResourceLimits.Unlimited ? "max" : (swap - r.Memory!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture));
            else if (r.MemorySwap is not null) throw new LaunchException(V1Memory.MemorySwapUnsupported);
        }
        if (r.MemoryReservation is { } reservation) CgroupFile.Write(directory, "memory.low", reservation);
    }
}
