
namespace Containode;

/// <summary>Container identities: a random 64-bit number as 11 characters of a-z A-Z 0-9, most significant first.</summary>
public static class Identity
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // Random.Shared is seeded from the OS; loading the crypto stack would cost more start-up time than the whole launch.
    public static string Random() => Encode((ulong)System.Random.Shared.NextInt64() ^ ((ulong)System.Random.Shared.Next() << 63));

    public static string Encode(ulong value)
    {
        Span<char> s = stackalloc char[11];
        for (var i = 10; i >= 0; i--)
        {
            s[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
        return new string(s);
    }

    /// <summary>The identity a TOP of the form ROOT.SOMETHING implies, if it has that form.</summary>
    public static string? FromTop(string root, string top)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + ".";
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(top));
        return full.StartsWith(prefix, StringComparison.Ordinal) && full.Length > prefix.Length ? full[prefix.Length..] : null;
    }

    /// <summary>Hostnames and node ids must be simple: letters, digits, dots, dashes, underscores.</summary>
    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 63 && AllIdentityCharacters(id);

    private static bool AllIdentityCharacters(string id)
    {
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_')) return false;
        return true;
    }
}
