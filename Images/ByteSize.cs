using System.Globalization;

namespace Mocker;

/// <summary>
/// Sizes as docker takes them (its RAMInBytes), the one grammar of every size option of containode and mocker: a
/// number, whole or with a fraction, and an optional unit of k, m, g or t, in powers of 1024, each with an optional
/// "i" and "b" ("64m", "64MiB", "1.5g", "100b", "512").
/// </summary>
public static class ByteSize
{
    /// <summary>The bytes <paramref name="text"/> names, rounded down; null when it is no size, or too big for a long.</summary>
    public static long? Parse(string text)
    {
        var s = text.ToLowerInvariant();
        if (s.EndsWith('b')) s = s[..^1];
        if (s.EndsWith('i') && s.Length > 1 && Multiplier(s[^2]) is not null) s = s[..^1];
        var unit = s.Length > 0 ? Multiplier(s[^1]) : null;
        if (unit is not null) s = s[..^1];
        if (s.Length == 0 || !s.All(c => char.IsAsciiDigit(c) || c == '.') || s[0] == '.' || s[^1] == '.') return null;
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
        try
        {
            var bytes = decimal.Floor(number * (unit ?? 1));
            return bytes <= long.MaxValue ? (long)bytes : null;
        }
        catch (OverflowException) { return null; }
    }

    /// <summary>The bytes <paramref name="text"/> names, or a FormatException that gives an example.</summary>
    public static long Require(string text) =>
        Parse(text) ?? throw new FormatException($"'{text}' is not a size: give bytes, or a number with k, m, g or t, e.g. 2g or 1.5g");

    /// <summary>The short form mocker prints: at most 9 characters ("1023.9 kB"), so that progress columns line up.</summary>
    public static string FormatColumn(long bytes) => bytes switch
    {
        < 0 => "?",
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} kB",
        < 1 << 30 => $"{bytes / (1024.0 * 1024):0.0} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GB",
    };

    /// <summary>A size as people read it: "64 MiB", "1.5 GiB", "100 B".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var value = (decimal)bytes;
        var i = 0;
        for (; value >= 1024 && i < units.Length - 1; i++) value /= 1024;
        return $"{Math.Round(value, value >= 100 || i == 0 ? 0 : 1).ToString("0.#", CultureInfo.InvariantCulture)} {units[i]}";
    }

    private static long? Multiplier(char unit) => unit switch
    {
        'k' => 1L << 10,
        'm' => 1L << 20,
        'g' => 1L << 30,
        't' => 1L << 40,
        _ => null,
    };
}
