using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mocker.Registry;

/// <summary>
/// Registry authentication as a DelegatingHandler: on a 401 it reads the challenge, gets a Bearer token from
/// the realm (anonymously or with the stored login) or uses Basic, and retries once. Tokens are kept per
/// host and scope until they expire. Credentials go only to the registry's host and its token realm; a
/// redirected blob download never sees them (RegistryClient follows redirects itself, without this handler).
/// Synchronous, like all of mocker's HTTP: each async method that suspends costs a pull start-up time in
/// generic code compiled on the spot, and threads give the concurrency a pull needs.
/// </summary>
public sealed class AuthHandler(Credentials credentials) : DelegatingHandler
{
    // Keyed by "host scope": a tuple key would be generic code compiled at every pull's start.
    private readonly ConcurrentDictionary<string, Token> tokens = new(StringComparer.Ordinal);

    private sealed record Token(string Header, DateTime Expires);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("mocker sends synchronously");

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var host = request.RequestUri!.Authority;
        var scope = request.Options.TryGetValue(RegistryClient.ScopeOption, out var s) ? s : "";
        if (tokens.TryGetValue(host + " " + scope, out var cached) && cached.Expires > DateTime.UtcNow)
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(cached.Header);
        var response = base.Send(request, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        if (challenge is null) return response;
        var registry = request.Options.TryGetValue(RegistryClient.RegistryOption, out var r) ? r : host;
        var login = credentials.Find(registry);
        string header;
        var expires = DateTime.UtcNow.AddSeconds(60);
        if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && challenge["realm"] is { } realm)
        {
            (header, expires) = FetchToken(realm, challenge["service"], challenge["scope"] ?? scope, login, ct);
        }
        else if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && login is { } l)
        {
            header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{l.User}:{l.Password}"));
            expires = DateTime.MaxValue;
        }
        else
        {
            return response;
        }
        response.Dispose();
        tokens[host + " " + scope] = new Token(header, expires);
        var retry = Clone(request);
        retry.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        return base.Send(retry, ct);
    }

    private (string Header, DateTime Expires) FetchToken(string realm, string? service, string scope,
        (string User, string Password)? login, CancellationToken ct)
    {
        var query = new StringBuilder();
        if (service is not null) query.Append("service=").Append(Uri.EscapeDataString(service));
        if (scope.Length > 0) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (login is { } l)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{l.User}:{l.Password}")));
        using var response = base.Send(request, ct);
        var body = RegistryClient.ReadText(response, ct);
        if (!response.IsSuccessStatusCode)
            throw new RegistryException($"the token service {uri.Host} refused{(login is null ? " an anonymous" : " the")} login: {(int)response.StatusCode} {body.Trim()}");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
            ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new RegistryException($"the token service {uri.Host} sent no token");
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var secs) ? secs : 60;
        // Refresh a little early so a token never expires in flight.
        return ("Bearer " + token, DateTime.UtcNow.AddSeconds(Math.Max(10, lifetime - 10)));
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var h in request.Headers)
            if (h.Key != "Authorization") clone.Headers.TryAddWithoutValidation(h.Key, h.Value);
        foreach (var o in request.Options) clone.Options.Set(new HttpRequestOptionsKey<object?>(o.Key), o.Value);
        return clone;
    }
}
