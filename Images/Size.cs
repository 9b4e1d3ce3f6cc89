using System.Globalization;

namespace Mocker;

/// <summary>Byte counts as people read and write them.</summary>
public static class Size
{
    public static string Format(long bytes) => bytes switch
    {
        < 0 => "?",
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} kB",
        < 1 << 30 => $"{bytes / (1024.0 * 1024):0.0} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GB",
    };

    /// <summary>Parses bytes, or a whole number with K, M, G or T (powers of 1024, as docker's sizes), e.g. 512M or 2G.</summary>
    public static long Parse(string text)
    {
        var unit = text.Length > 0 ? "KMGT".IndexOf(char.ToUpperInvariant(text[^1])) + 1 : 0;
        if (!long.TryParse(unit > 0 ? text[..^1] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue >> (10 * unit))
            throw new FormatException($"'{text}' is not a size: give bytes, or a number with K, M, G or T, e.g. 2G");
        return n << (10 * unit);
    }
}
