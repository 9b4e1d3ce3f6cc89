using System.Globalization;

namespace Containode.Cgroups;

/// <summary>
/// The kernel's CPU list form, as cpuset.cpus and /sys/devices/system/cpu/online write it: numbers and ranges
/// separated by commas ("0-3,6"). Parsed into the set of CPUs it names, so a list can be checked against the
/// CPUs the host has before anything is made.
/// </summary>
public static class CpuList
{
    /// <summary>The CPUs the host has online.</summary>
    public const string OnlineFile = "/sys/devices/system/cpu/online";

    /// <summary>A CPU number beyond any the kernel supports (its NR_CPUS is at most 8192).</summary>
    private const int MaxCpu = 8192;

    /// <summary>The CPUs a list names; null when it is not such a list.</summary>
    public static SortedSet<int>? Parse(string text)
    {
        var cpus = new SortedSet<int>();
        foreach (var item in text.Trim().Split(','))
        {
            var bounds = item.Split('-');
            if (bounds.Length > 2 || !TryNumber(bounds[0], out var first)) return null;
            var last = first;
            if (bounds.Length == 2 && (!TryNumber(bounds[1], out last) || last < first)) return null;
            for (var cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }

    /// <summary>The CPUs of the list that the host does not have (those missing from <paramref name="online"/>, /sys's list).</summary>
    public static IReadOnlyList<int> Missing(SortedSet<int> wanted, string online) =>
        [.. wanted.Except(Parse(online) ?? [])];

    private static bool TryNumber(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < MaxCpu;
}
