using System.Globalization;
using Containet.Native;

namespace Containode.Cgroups;

/// <summary>The files of one cgroup directory: values written one per write(2), as the kernel takes them, and read whole.</summary>
internal static class CgroupFile
{
    public static void Write(string directory, string name, string value)
    {
        using var file = KernelFile.Open(Path.Combine(directory, name));
        file.Write(value);
    }

    public static void Write(string directory, string name, long value) => Write(directory, name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Each value in a write of its own: one line per device of blkio's throttle files, say.</summary>
    public static void WriteEach(string directory, string name, IEnumerable<string> values)
    {
        using var file = KernelFile.Open(Path.Combine(directory, name));
        foreach (var value in values) file.Write(value);
    }

    public static bool Exists(string directory, string name) => File.Exists(Path.Combine(directory, name));

    public static string Read(string directory, string name) => SmallFile.Read(Path.Combine(directory, name));

    /// <summary>The value of KEY in a flat keyed file ("oom_kill 2" in memory.events); null when the file or the key is missing.</summary>
    public static long? ReadKey(string directory, string name, string key)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith(key, StringComparison.Ordinal) && line.Length > key.Length && line[key.Length] == ' '
                && long.TryParse(line.AsSpan(key.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                return value;
        return null;
    }
}
