using System.Globalization;

namespace Mocker.Http;

/// <summary>
/// An absolute http or https URL, reduced to what a registry request needs, which resolves a redirect's
/// Location as registries write it (a bare "sha256:..." is a path there, where System.Uri would take it for a
/// scheme). <see cref="Host"/> keeps the brackets of an IPv6 address.
/// </summary>
public sealed record HttpUrl(bool Https, string Host, int Port, string PathAndQuery)
{
    public string Scheme => Https ? "https" : "http";

    /// <summary>Host, and the port unless it is the scheme's own: what the Host header carries.</summary>
    public string Authority => Port == (Https ? 443 : 80) ? Host : Host + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Which connections can serve this URL.</summary>
    public string Origin => Scheme + "://" + Host + ":" + Port.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Scheme + "://" + Authority + PathAndQuery;

    /// <summary>Parses an absolute http(s) URL; the fragment is dropped, an empty path is "/".</summary>
    public static HttpUrl Parse(string text)
    {
        var https = text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!https && !text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"'{text}' is not an http:// or https:// URL");
        var rest = text[(https ? 8 : 7)..];
        var hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];
        var end = rest.IndexOfAny(['/', '?']);
        var authority = end < 0 ? rest : rest[..end];
        var path = end < 0 ? "/" : rest[end] == '?' ? "/" + rest[end..] : rest[end..];
        if (authority.Contains('@')) throw new FormatException($"'{text}': credentials in a URL are not used; log in with `mocker login`");
        var close = authority.StartsWith('[') ? authority.IndexOf(']') : -1;
        var colon = authority.IndexOf(':', close + 1);
        var host = colon < 0 ? authority : authority[..colon];
        var port = https ? 443 : 80;
        if (colon >= 0 && !(int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536))
            throw new FormatException($"'{text}' has a bad port");
        if (host.Length == 0 || (authority.StartsWith('[') && close < 0)) throw new FormatException($"'{text}' has no host");
        return new HttpUrl(https, host, port, path);
    }

    /// <summary>Resolves a reference as a Location header gives it: absolute, scheme-relative, absolute path or relative path.</summary>
    public HttpUrl Resolve(string reference)
    {
        if (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Parse(reference);
        if (reference.StartsWith("//", StringComparison.Ordinal)) return Parse(Scheme + ":" + reference);
        var hash = reference.IndexOf('#');
        if (hash >= 0) reference = reference[..hash];
        if (reference.StartsWith('/')) return this with { PathAndQuery = reference };
        var path = PathAndQuery.Split('?')[0];
        return this with { PathAndQuery = path[..(path.LastIndexOf('/') + 1)] + reference };
    }

    /// <summary>This URL with <paramref name="relative"/> (no leading '/') appended to its path, which ends in '/'.</summary>
    public HttpUrl Append(string relative) => this with { PathAndQuery = PathAndQuery.Split('?')[0] + relative };

    public HttpUrl WithQuery(string query) => this with { PathAndQuery = PathAndQuery.Split('?')[0] + (query.Length > 0 ? "?" + query : "") };
}
