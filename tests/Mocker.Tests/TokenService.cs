using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Mocker.Tests;

/// <summary>
/// A token service for distribution's `auth: token` mode: it checks Basic credentials and answers with an
/// ES256 JWT whose x5c header carries the signing certificate, which the registry trusts via rootcertbundle.
/// </summary>
public sealed class TokenService : IDisposable
{
    public const string Service = "containet-test", Issuer = "containet-test-issuer";
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 certificate;
    private readonly HttpServer server;
    private readonly string user, password;
    public int Requests;

    /// <summary>Issue tokens that grant no access at all: the registry then answers 401 with error="insufficient_scope".</summary>
    public volatile bool GrantNothing;

    public TokenService(string user, string password)
    {
        this.user = user;
        this.password = password;
        var request = new CertificateRequest("CN=" + Issuer, key, HashAlgorithmName.SHA256);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        server = new HttpServer("127.0.0.1", Handle);
    }

    public string Realm => $"http://127.0.0.1:{server.Port}/token";

    public string CertificatePem => certificate.ExportCertificatePem();

    private async Task Handle(HttpListenerContext context)
    {
        Interlocked.Increment(ref Requests);
        var auth = context.Request.Headers["Authorization"];
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        if (auth != expected)
        {
            context.Response.StatusCode = 401;
            return;
        }
        var scope = context.Request.QueryString["scope"] ?? "";
        var parts = scope.Split(':');
        var access = parts.Length == 3 && !GrantNothing
            ? $$"""[{"type":"{{parts[0]}}","name":"{{parts[1]}}","actions":[{{string.Join(',', parts[2].Split(',').Select(a => $"\"{a}\""))}}]}]"""
            : "[]";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = $$"""{"typ":"JWT","alg":"ES256","x5c":["{{Convert.ToBase64String(certificate.RawData)}}"]}""";
        var claims = $$"""{"iss":"{{Issuer}}","sub":"{{user}}","aud":"{{Service}}","exp":{{now + 300}},"nbf":{{now - 10}},"iat":{{now}},"jti":"{{Guid.NewGuid():N}}","access":{{access}}}""";
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var token = signingInput + "." + Base64Url(signature);
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["token"] = token, ["expires_in"] = 300 });
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        server.Dispose();
        certificate.Dispose();
        key.Dispose();
    }
}
