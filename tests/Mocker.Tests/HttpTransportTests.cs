using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mocker.Http;
using Mocker.References;
using Mocker.Registry;
using Xunit;

namespace Mocker.Tests;

/// <summary>mocker's HTTP transport (HttpClient underneath) and registry client against answers written byte by byte.</summary>
public sealed class HttpTransportTests
{
    private static readonly Header[] NoHeaders = [];

    private static HttpUrl V2(ScriptedServer server) => HttpUrl.Parse($"http://{server.Host}/v2/");

    // A manifest fetched through the whole registry client (retries, limits), with nobody logged in.
    private static Manifest GetManifest(ScriptedServer server, RegistryOptions? options = null)
    {
        using var registry = new RegistryClient(options ?? new RegistryOptions(), new Credentials("/nonexistent/config.json"));
        return registry.GetManifest(ImageReference.Parse(server.Host + "/team/app:1"), "1", CancellationToken.None);
    }

    private static string Read(HttpResponse response)
    {
        using var text = new StreamReader(response.Body, Encoding.UTF8);
        return text.ReadToEnd();
    }

    [Fact]
    public void Chunked_bodies_are_decoded_and_the_connection_is_kept_for_the_next_request()
    {
        using var server = new ScriptedServer((_, _) => (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Test: yes\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: t\r\n\r\n", false));
        using var http = new HttpTransport();
        var uri = V2(server);
        for (var i = 0; i < 3; i++)
        {
            using var response = http.Get(uri, NoHeaders, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("yes", response.Header("x-test"));
            Assert.Equal("hello, world", Read(response));
        }
        Assert.Equal(3, server.Requests);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public void A_body_shorter_than_its_content_length_fails_and_its_connection_is_not_reused()
    {
        using var server = new ScriptedServer((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true));
        using var http = new HttpTransport();
        var uri = V2(server);
        using (var response = http.Get(uri, NoHeaders, CancellationToken.None))
        {
            var e = Assert.ThrowsAny<IOException>(() => Read(response));
            Assert.Contains("ended prematurely", e.Message);
        }
        using (var again = http.Get(uri, NoHeaders, CancellationToken.None))
            Assert.ThrowsAny<IOException>(() => Read(again));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void A_keep_alive_connection_the_server_dropped_is_replaced_without_an_error()
    {
        // The server closes after each answer without saying so, as an idle timeout does.
        using var server = new ScriptedServer((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true));
        using var http = new HttpTransport();
        var uri = V2(server);
        for (var i = 0; i < 3; i++)
        {
            using var response = http.Get(uri, NoHeaders, CancellationToken.None);
            Assert.Equal("ok", Read(response));
        }
        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public void Cancelling_ends_a_read_blocked_in_a_body_and_never_as_a_short_body()
    {
        using var server = new ScriptedServer((_, _, socket) =>
        {
            socket.Send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc"u8);
            // The rest never comes: wait (bounded) until the client hangs up.
            socket.ReceiveTimeout = 10_000;
            try { socket.Receive(new byte[1]); }
            catch (System.Net.Sockets.SocketException) { }
            return true;
        });
        using var http = new HttpTransport();
        using var cancel = new CancellationTokenSource();
        using var response = http.Get(V2(server), NoHeaders, cancel.Token);
        var buffer = new byte[1000];
        for (var got = 0; got < 3; got += response.Body.Read(buffer.AsSpan(got))) { }

        cancel.CancelAfter(100);

        Assert.Throws<OperationCanceledException>(() => response.Body.Read(buffer));
        // And once ended, the body says so again rather than end as if complete.
        Assert.Throws<OperationCanceledException>(() => response.Body.Read(buffer));
    }

    [Fact]
    public void A_server_that_does_not_speak_http_gets_a_clear_error()
    {
        using var server = new ScriptedServer((_, _) => ("SSH-2.0-OpenSSH_9.2\r\n\r\n", true));
        using var http = new HttpTransport();
        var e = Assert.Throws<IOException>(() => http.Get(HttpUrl.Parse($"http://{server.Host}/v2/"), NoHeaders, CancellationToken.None));
        Assert.Contains("did not answer in HTTP/1.x", e.Message);
    }

    [Fact]
    public async Task Https_speaks_tls_and_refuses_a_certificate_nobody_trusts()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(() =>
        {
            using var client = listener.AcceptTcpClient();
            using var tls = new SslStream(client.GetStream());
            try
            {
                tls.AuthenticateAsServer(certificate);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                // TLS 1.2 ends here when the client refuses the certificate; TLS 1.3 after the server's side.
            }
        });
        using var http = new HttpTransport();

        var uri = HttpUrl.Parse($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/v2/");
        // Only SslStream throws this: the client spoke TLS and refused what it could not verify.
        Assert.Throws<AuthenticationException>(() => http.Get(uri, NoHeaders, CancellationToken.None));
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_503_with_retry_after_is_retried_and_then_succeeds()
    {
        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},"layers":[]}""";
        var attempts = 0;
        using var server = new ScriptedServer((head, _) => Interlocked.Increment(ref attempts) == 1
            ? ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n", false)
            : ($"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: {manifest.Length}\r\n\r\n{manifest}", false));
        var m = GetManifest(server);
        Assert.Equal(2, server.Requests);
        Assert.Equal("sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", m.Config!.Digest);
    }

    [Fact]
    public void A_429_waits_as_retry_after_says_before_asking_again()
    {
        var attempts = 0;
        var asked = new long[2];
        using var server = new ScriptedServer((_, _) =>
        {
            var n = Interlocked.Increment(ref attempts);
            if (n <= 2) asked[n - 1] = Environment.TickCount64;
            return n == 1
                ? ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n", false)
                : ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false);
        });
        var e = Assert.Throws<RegistryException>(() => GetManifest(server));
        Assert.Contains("image not found", e.Message);
        Assert.Equal(2, server.Requests);
        Assert.True(asked[1] - asked[0] >= 900, $"asked again after {asked[1] - asked[0]} ms, Retry-After said 1 s");
    }

    [Fact]
    public void A_manifest_larger_than_4_MiB_is_refused()
    {
        var huge = new string(' ', (4 << 20) + 1);
        using var server = new ScriptedServer((_, _) =>
            ($"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: {huge.Length}\r\n\r\n{huge}", false));
        var e = Assert.Throws<RegistryException>(() => GetManifest(server));
        Assert.Contains("larger than 4 MiB", e.Message);
    }

    [Fact]
    public void A_registry_that_keeps_failing_gives_up_after_the_bounded_attempts()
    {
        using var server = new ScriptedServer((_, _) => ("HTTP/1.1 502 Bad Gateway\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n", false));
        var e = Assert.Throws<RegistryException>(() => GetManifest(server, new RegistryOptions { MaxAttempts = 3 }));
        Assert.Contains("502", e.Message);
        Assert.Equal(3, server.Requests);
    }
}
