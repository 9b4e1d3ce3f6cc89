using System.Globalization;
using Containet.Native;

namespace Containode.Cli;

/// <summary>Signals as kill(1) names them: HUP, SIGHUP or 1.</summary>
public static class SignalNames
{
    public static Signal Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 64) return (Signal)n;
        var name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        foreach (var signal in Enum.GetValues<Signal>())
            if (string.Equals(signal.ToString(), name, StringComparison.OrdinalIgnoreCase)) return signal;
        throw new UsageException($"unknown signal '{text}': a name (HUP, SIGTERM) or a number from 1 to 64");
    }
}
