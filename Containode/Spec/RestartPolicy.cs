using System.Globalization;

namespace Containode;

/// <summary>
/// When the monitor starts a container's command again, as docker's restart policies have it: never, after a
/// non-zero exit (at most <see cref="MaxRetries"/> times, 0 meaning no limit), or always. The delay doubles from
/// 100 ms with each restart, up to a minute.
/// </summary>
public readonly record struct RestartPolicy(RestartPolicy.Kind When, int MaxRetries = 0)
{
    public enum Kind { No, OnFailure, Always }

    public static readonly RestartPolicy No = new(Kind.No);

    public static RestartPolicy Parse(string text)
    {
        if (text == "no") return No;
        if (text == "always") return new(Kind.Always);
        if (text == "on-failure") return new(Kind.OnFailure);
        if (text.StartsWith("on-failure:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(11), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000)
            return new(Kind.OnFailure, n);
        throw new UsageException($"bad restart policy '{text}': no, on-failure[:N] (N from 1 to 1000) or always");
    }

    /// <summary>Whether a command that ended with <paramref name="exitCode"/> after <paramref name="restarts"/> restarts starts again.</summary>
    public bool Restarts(int exitCode, int restarts) => When switch
    {
        Kind.Always => true,
        Kind.OnFailure => exitCode != 0 && (MaxRetries == 0 || restarts < MaxRetries),
        _ => false,
    };

    /// <summary>How long the monitor waits before restart number <paramref name="restarts"/> + 1.</summary>
    public static TimeSpan Delay(int restarts) => TimeSpan.FromMilliseconds(Math.Min(60_000, 100 * Math.Pow(2, Math.Min(restarts, 20))));

    public override string ToString() => When switch
    {
        Kind.Always => "always",
        Kind.OnFailure => MaxRetries > 0 ? "on-failure:" + MaxRetries.ToString(CultureInfo.InvariantCulture) : "on-failure",
        _ => "no",
    };
}
