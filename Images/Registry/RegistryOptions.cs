using System.Net;

namespace Mocker.Registry;

/// <summary>
/// How to reach registries: plain-HTTP exceptions and a docker.io mirror, as Docker's daemon.json has them, the
/// proxy (none unless given: the CLI gives the environment's, <see cref="Http.EnvironmentProxy"/>), and
/// how long to wait: the low-speed limit of every transfer, and the attempts and time one request may take,
/// waits between them included (a stalled attempt is cut at the low-speed window, 4 of them are about 2 minutes).
/// </summary>
public sealed record RegistryOptions
{
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    public Http.HttpUrl? Mirror { get; init; }
    public IWebProxy? Proxy { get; init; }
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(2);
    public Http.LowSpeed LowSpeed { get; init; } = Http.LowSpeed.Default;

    /// <summary>Plain HTTP for localhost and 127.0.0.0/8 (as Docker allows) and for --insecure-registry hosts.</summary>
    public bool AllowsHttp(string registry)
    {
        if (InsecureRegistries.Contains(registry)) return true;
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']') + 1)] : registry.Split(':')[0];
        if (host == "localhost") return true;
        if (Containet.Native.Addressing.TryParseIPv4(host) is { } v4) return v4[0] == 127;
        return host.Contains(':') && IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
