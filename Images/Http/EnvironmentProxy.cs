using System.Net;

namespace Mocker.Http;

/// <summary>
/// The proxy the environment names, read as Go's net/http reads it (docker, podman and skopeo follow it):
/// HTTPS_PROXY for https and HTTP_PROXY for http URLs (upper case before lower case; HTTP_PROXY not under CGI),
/// a value without a scheme is http://, a user:password in it answers the proxy's challenge. NO_PROXY lists, by
/// commas, hosts and domains (a domain covers its subdomains; with a leading "." or "*." only them), IP addresses
/// and CIDR ranges, each with an optional :port, or "*" for everything. localhost and loopback addresses are
/// never proxied, as in Go and curl.
/// </summary>
public sealed class EnvironmentProxy : IWebProxy
{
    private static readonly string[] Schemes = ["http", "https", "socks4", "socks4a", "socks5"];

    private readonly Uri? http, https;
    private readonly NoProxy bypass;

    public ICredentials? Credentials { get; set; }

    private EnvironmentProxy(Uri? http, Uri? https, NoProxy bypass)
    {
        this.http = http;
        this.https = https;
        this.bypass = bypass;
        var logins = new CredentialCache();
        foreach (var proxy in new[] { http, https }.OfType<Uri>().Distinct())
            if (proxy.UserInfo is { Length: > 0 } info && !Contains(logins, proxy))
            {
                var colon = info.IndexOf(':');
                logins.Add(proxy, "Basic", new NetworkCredential(Uri.UnescapeDataString(colon < 0 ? info : info[..colon]),
                    colon < 0 ? "" : Uri.UnescapeDataString(info[(colon + 1)..])));
            }
        Credentials = logins;
    }

    private static bool Contains(CredentialCache cache, Uri proxy) => cache.GetCredential(proxy, "Basic") is not null;

    /// <summary>The proxy this process's environment names; null when it names none.</summary>
    public static EnvironmentProxy? FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>The proxy the variables name; a value that is not a proxy URL is a FormatException naming the variable.</summary>
    public static EnvironmentProxy? From(Func<string, string?> variable)
    {
        string? First(string upper) => variable(upper) is { Length: > 0 } u ? u : variable(upper.ToLowerInvariant()) is { Length: > 0 } l ? l : null;
        var https = Parse("HTTPS_PROXY", First("HTTPS_PROXY"));
        // Under CGI, HTTP_PROXY may come from a request's Proxy header (httpoxy).
        var http = variable("REQUEST_METHOD") is { Length: > 0 } ? null : Parse("HTTP_PROXY", First("HTTP_PROXY"));
        return http is null && https is null ? null : new EnvironmentProxy(http, https, NoProxy.Parse(First("NO_PROXY") ?? ""));
    }

    private static Uri? Parse(string name, string? value)
    {
        if (value is null) return null;
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme) || uri.Host.Length == 0)
            throw new FormatException($"{name}='{value}' is not a proxy: give http://HOST:PORT");
        return uri;
    }

    public Uri? GetProxy(Uri destination) =>
        IsBypassed(destination) ? null : destination.Scheme == Uri.UriSchemeHttps ? https : http;

    public bool IsBypassed(Uri host)
    {
        var name = host.Host.Trim('[', ']').ToLowerInvariant();
        var address = IPAddress.TryParse(name, out var a) ? a : null;
        return name == "localhost" || (address is not null && IPAddress.IsLoopback(address)) || bypass.Matches(name, address, host.Port);
    }

    /// <summary>NO_PROXY's entries.</summary>
    private sealed record NoProxy(bool All, IReadOnlyList<(IPNetwork Network, int? Port)> Addresses, IReadOnlyList<(string Suffix, bool AndItself, int? Port)> Domains)
    {
        public static NoProxy Parse(string list)
        {
            var addresses = new List<(IPNetwork, int?)>();
            var domains = new List<(string, bool, int?)>();
            foreach (var raw in list.Split(','))
            {
                var entry = raw.Trim().ToLowerInvariant();
                if (entry.Length == 0) continue;
                if (entry == "*") return new NoProxy(true, [], []);
                if (IPNetwork.TryParse(entry, out var range))
                {
                    addresses.Add((range, null));
                    continue;
                }
                var (host, port) = SplitPort(entry);
                if (IPAddress.TryParse(host, out var ip))
                {
                    addresses.Add((new IPNetwork(ip, ip.GetAddressBytes().Length * 8), port));
                    continue;
                }
                if (host.Length == 0) continue;
                if (host.StartsWith("*.", StringComparison.Ordinal)) host = host[1..];
                domains.Add(host.StartsWith('.') ? (host, false, port) : ("." + host, true, port));
            }
            return new NoProxy(false, addresses, domains);
        }

        // "host:port" or "[v6]:port"; a bare IPv6 address has no port.
        private static (string Host, int? Port) SplitPort(string entry)
        {
            var colon = entry.LastIndexOf(':');
            var bracket = entry.LastIndexOf(']');
            if (colon < 0 || colon < bracket || (bracket < 0 && entry.IndexOf(':') != colon))
                return (entry.Trim('[', ']'), null);
            return int.TryParse(entry[(colon + 1)..], out var port) ? (entry[..colon].Trim('[', ']'), port) : (entry, null);
        }

        public bool Matches(string host, IPAddress? address, int port)
        {
            if (All) return true;
            if (address is not null && Addresses.Any(a => a.Network.Contains(address) && (a.Port is null || a.Port == port))) return true;
            return Domains.Any(d => (host.EndsWith(d.Suffix, StringComparison.Ordinal) || (d.AndItself && host == d.Suffix[1..])) && (d.Port is null || d.Port == port));
        }
    }
}
