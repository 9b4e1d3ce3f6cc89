namespace Containode.Cgroups;

/// <summary>
/// The v1 memory controller: the limit first, then memory plus swap (memsw, which may never be below the limit),
/// then the soft limit that --memory-reservation is.
/// </summary>
internal sealed class V1Memory(string directory) : ICgroupController
{
    private const string SwapFile = "memory.memsw.limit_in_bytes";
    public const string MemorySwapUnsupported = "--memory-swap needs swap accounting, which this kernel does not do: boot it with swapaccount=1";

    public void Apply(CgroupSettings settings)
    {
        var r = settings.Resources;
        if (r.Memory is { } memory) CgroupFile.Write(directory, "memory.limit_in_bytes", memory);
        if (r.EffectiveMemorySwap is { } swap)
        {
            // Without swap accounting the kernel has no memsw files: docker's default swap then goes unset, an explicit one cannot.
            if (CgroupFile.Exists(directory, SwapFile)) CgroupFile.Write(directory, SwapFile, swap);
            else if (r.MemorySwap is not null) throw new LaunchException(MemorySwapUnsupported);
        }
        if (r.MemoryReservation is { } reservation) CgroupFile.Write(directory, "memory.soft_limit_in_bytes", reservation);
    }
}
