using System.Globalization;
using Containet.Native;

namespace Containode;

/// <summary>--uidmap and --gidmap CONTAINER:HOST:SIZE, as podman takes them, and the rules the kernel would enforce less clearly.</summary>
public static class IdMaps
{
    /// <summary>The most lines a uid_map may have.</summary>
    public const int MaxRanges = 340;

    public static IdRange Parse(string option, string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !Number(parts[0], out var inside) || !Number(parts[1], out var outside) || !Number(parts[2], out var count))
            throw new UsageException($"bad {option} '{text}': expected CONTAINER:HOST:SIZE, three numbers");
        if (count == 0) throw new UsageException($"bad {option} '{text}': SIZE must be at least 1");
        if ((ulong)inside + count > uint.MaxValue || (ulong)outside + count > uint.MaxValue)
            throw new UsageException($"bad {option} '{text}': the range passes the largest id, 4294967294");
        return new IdRange(inside, outside, count);
    }

    /// <summary>No two ranges overlap, inside or on the host, and the container's root is mapped (it becomes that root).</summary>
    public static void Validate(string option, IReadOnlyList<IdRange> ranges)
    {
        if (ranges.Count > MaxRanges) throw new UsageException($"too many {option} ranges: the kernel takes at most {MaxRanges}");
        for (var i = 0; i < ranges.Count; i++)
            for (var j = i + 1; j < ranges.Count; j++)
            {
                if (Overlap(ranges[i].Inside, ranges[j].Inside, ranges[i].Count, ranges[j].Count))
                    throw new UsageException($"{option} ranges {Show(ranges[i])} and {Show(ranges[j])} overlap inside the container");
                if (Overlap(ranges[i].Outside, ranges[j].Outside, ranges[i].Count, ranges[j].Count))
                    throw new UsageException($"{option} ranges {Show(ranges[i])} and {Show(ranges[j])} overlap on the host");
            }
        if (!ranges.Any(r => r.ToHost(0) is not null))
            throw new UsageException($"{option} must map the container's id 0: its first process runs as root inside");
    }

    private static bool Overlap(uint a, uint b, uint countA, uint countB) => (ulong)a < (ulong)b + countB && (ulong)b < (ulong)a + countA;

    private static string Show(IdRange r) => $"{r.Inside}:{r.Outside}:{r.Count}";

    private static bool Number(string s, out uint value) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
