using System.Globalization;

namespace Containode.Cgroups;

/// <summary>
/// Sizes as docker takes them (its RAMInBytes): a number, whole or with a fraction, and an optional unit of
/// k, m, g or t, in powers of 1024, each with an optional "i" and "b" ("64m", "64MiB", "1.5g", "100b", "512").
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
