using System.Globalization;

namespace Containode;

/// <summary>-u UID[:GID]: numbers, as the container's /etc/passwd is not the host's to read.</summary>
public static class UserSpec
{
    public static string Check(string text)
    {
        _ = Parse(text);
        return text;
    }

    public static (uint Uid, uint? Gid) Parse(string text)
    {
        var colon = text.IndexOf(':');
        var uid = Number(colon < 0 ? text : text[..colon], text);
        return (uid, colon < 0 ? null : Number(text[(colon + 1)..], text));
    }

    private static uint Number(string part, string text) =>
        uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < uint.MaxValue
            ? n
            : throw new UsageException($"bad user '{text}': UID[:GID], as numbers");
}
