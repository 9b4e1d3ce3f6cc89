using System.Globalization;

namespace Containode;

/// <summary>An image's User (NAME, UID, NAME:GROUP, UID:GID) as numbers, from the image's own /etc/passwd and /etc/group.</summary>
public static class ImageUsers
{
    public static string Numeric(string root, string user)
    {
        var colon = user.IndexOf(':');
        var (who, group) = colon < 0 ? (user, null) : (user[..colon], user[(colon + 1)..]);
        var passwd = Entries(root, "passwd");
        string uid, gid;
        if (IsNumber(who))
        {
            uid = who;
            gid = passwd.FirstOrDefault(e => e.Length > 3 && e[2] == who)?[3] ?? "0";
        }
        else
        {
            var entry = passwd.FirstOrDefault(e => e.Length > 3 && e[0] == who)
                ?? throw new LaunchException($"the image's user '{who}' is not in its /etc/passwd");
            (uid, gid) = (entry[2], entry[3]);
        }
        if (group is not null)
            gid = IsNumber(group) ? group
                : Entries(root, "group").FirstOrDefault(e => e.Length > 2 && e[0] == group)?[2] ?? throw new LaunchException($"the image's group '{group}' is not in its /etc/group");
        return IsNumber(uid) && IsNumber(gid) ? uid + ":" + gid : throw new LaunchException($"the image's user '{user}' has no numeric uid and gid");
    }

    private static bool IsNumber(string s) => uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>The lines of ROOT/etc/FILE split on ':'; none when the file is missing or not a plain file.</summary>
    private static List<string[]> Entries(string root, string file)
    {
        var path = Path.Combine(root, "etc", file);
        if (Containet.Native.Posix.TypeOf(path) != Containet.Native.Posix.FileType.Regular || new FileInfo(path).Length > 1 << 20) return [];
        return [.. File.ReadLines(path).Select(l => l.Split(':'))];
    }
}
