namespace Mocker.References;

/// <summary>
/// The one digest form mocker trusts, sha256:&lt;64 lowercase hex digits&gt;, checked with a loop like the other
/// reference rules.
/// </summary>
public static class Digest
{
    public const string Prefix = "sha256:";

    public static bool IsSha256(string text)
    {
        if (text.Length != Prefix.Length + 64 || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        for (var i = Prefix.Length; i < text.Length; i++)
            if (!char.IsAsciiHexDigitLower(text[i])) return false;
        return true;
    }
}
