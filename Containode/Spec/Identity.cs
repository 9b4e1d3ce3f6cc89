
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

    /// <summary>The identity a TOP of the form ROOT.SOMETHING implies, if it has that form; the caller validates it.</summary>
    public static string? FromTop(string root, string top)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + ".";
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(top));
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..] : null;
    }

    /// <summary>The longest identity: a hostname label's 63 bytes would do, 64 is what containers were always given.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// An identity is a hostname, a switch node id and a directory name under /run/containet, so it is a name and never
    /// a path: at most 64 characters of [A-Za-z0-9][A-Za-z0-9_.-]*, which rules out "." and "..".
    /// </summary>
    public static bool IsValid(string id) => Problem(id) is null;

    /// <summary>What is wrong with <paramref name="id"/> as an identity, to follow "bad name 'X': ", or null if nothing is.</summary>
    public static string? Problem(string id)
    {
        if (id.Length == 0) return "a name cannot be empty";
        if (id.Length > MaxLength) return $"it is {id.Length} characters long, and at most {MaxLength} fit";
        if (!char.IsAsciiLetterOrDigit(id[0])) return "it must start with a letter or digit";
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_'))
                return "use only letters, digits, '.', '-' and '_'";
        return null;
    }
}
