using System.Text;

namespace Containode.Cgroups;

/// <summary>
/// The lines of /proc/self/mountinfo a cgroup lookup needs: what part of a filesystem is mounted where, its
/// type and its superblock options. Lines that do not have the format are skipped, not guessed at.
/// </summary>
internal static class MountInfo
{
    /// <param name="Root">The path inside the filesystem that appears at the mount point (field 4).</param>
    public readonly record struct Mount(string Root, string MountPoint, string FsType, string[] SuperOptions);

    public static List<Mount> Parse(string text)
    {
        var mounts = new List<Mount>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            var fields = line.Split(' ');
            if (fields.Length < 10) continue;
            var separator = Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 3 >= fields.Length) continue;
            mounts.Add(new Mount(Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1],
                fields[separator + 3].Split(',')));
        }
        return mounts;
    }

    /// <summary>
    /// Undoes the kernel's escapes (\040 space, \011 tab, \012 newline, \134 backslash: a backslash and three
    /// octal digits). Anything else after a backslash is kept as it stands.
    /// </summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var bytes = new List<byte>(field.Length);
        var raw = Encoding.UTF8.GetBytes(field);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length && IsOctal(raw[i + 1], '3') && IsOctal(raw[i + 2], '7') && IsOctal(raw[i + 3], '7'))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else bytes.Add(raw[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte c, char highest) => c >= '0' && c <= highest;
}
