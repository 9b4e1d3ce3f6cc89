namespace Containet.Native;

/// <summary>One line of a user namespace's uid_map or gid_map: Count ids from Inside map to Outside on the host.</summary>
public readonly record struct IdRange(uint Inside, uint Outside, uint Count)
{
    /// <summary>The host id of <paramref name="inside"/>, or null when this range does not hold it.</summary>
    public uint? ToHost(uint inside) => inside >= Inside && inside - Inside < Count ? Outside + (inside - Inside) : null;

    public override string ToString() => $"{Inside} {Outside} {Count}";
}
