using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Mocker.Http;

namespace Mocker.Registry;

/// <summary>
/// Registry authentication: on a 401 it reads the challenge, gets a Bearer token from the realm (anonymously or
/// with the stored login) or uses Basic, and retries once. Tokens are kept per host and scope until they
/// expire. Credentials go only to the registry's host and its token realm; a redirected blob download never
/// sees them (RegistryClient follows redirects itself, around this class).
/// </summary>
internal sealed class Authenticator(HttpTransport http, Credentials credentials)
{
    // Keyed by "host scope".
    private readonly ConcurrentDictionary<string, Token> tokens = new(StringComparer.Ordinal);

    private sealed record Token(string Header, DateTime Expires);

    public HttpResponse Get(HttpUrl url, Header[] headers, string registry, string scope, CancellationToken ct)
    {
        var key = url.Authority + " " + scope;
        var response = http.Get(url, tokens.TryGetValue(key, out var cached) && cached.Expires > DateTime.UtcNow
            ? With(headers, cached.Header) : headers, ct);
        if (response.Status != HttpStatusCode.Unauthorized) return response;

        var challenge = AuthChallenge.Parse(response.Header("WWW-Authenticate"));
        if (challenge is null) return response;
        var login = credentials.Find(registry);
        string header;
        var expires = DateTime.UtcNow.AddSeconds(60);
        if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && challenge["realm"] is { } realm)
        {
            response.Dispose();
            (header, expires) = FetchToken(realm, challenge["service"], challenge["scope"] ?? scope, login, ct);
        }
        else if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && login is { } l)
        {
            response.Dispose();
            header = Basic(l);
            expires = DateTime.MaxValue;
        }
        else
        {
            return response;
        }
        tokens[key] = new Token(header, expires);
        return http.Get(url, With(headers, header), ct);
    }

    private (string Header, DateTime Expires) FetchToken(string realm, string? service, string scope,
        (string User, string Password)? login, CancellationToken ct)
    {
        var query = new StringBuilder();
        if (service is not null) query.Append("service=").Append(Uri.EscapeDataString(service));
        if (scope.Length > 0) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        HttpUrl uri;
        try
        {
            uri = HttpUrl.Parse(realm).WithQuery(query.ToString());
        }
        catch (FormatException bad)
        {
            throw new RegistryException($"the registry names a token service mocker cannot use: {bad.Message}");
        }
        using var response = http.Get(uri, login is { } l ? [RegistryClient.UserAgent, new Header("Authorization", Basic(l))] : [RegistryClient.UserAgent], ct);
        var body = RegistryClient.ReadText(response, $"a token from {uri.Host}");
        if (!response.IsSuccess)
            throw new RegistryException($"the token service {uri.Host} refused{(login is null ? " an anonymous" : " the")} login: {(int)response.Status} {body.Trim()}",
                status: response.Status);
        string? token;
        int lifetime;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            token = JsonFields.OptionalString(root, "token") ?? JsonFields.OptionalString(root, "access_token");
            lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var secs) ? secs : 60;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new RegistryException($"the token service {uri.Host} sent an answer mocker cannot read: {e.Message}");
        }
        if (token is null) throw new RegistryException($"the token service {uri.Host} sent no token");
        // Refresh a little early so a token never expires in flight.
        return ("Bearer " + token, DateTime.UtcNow.AddSeconds(Math.Max(10, lifetime - 10)));
    }

    private static string Basic((string User, string Password) login) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}"));

    private static Header[] With(Header[] headers, string authorization) => [.. headers, new Header("Authorization", authorization)];
}
