using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Containode.Remote.Tests;

/// <summary>Mutual TLS 1.3 with one CA: whatever else knocks is refused in the handshake, before any method.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class HandshakeTests(BusyboxRoot root)
{
    [RootFact]
    public void A_client_without_a_certificate_from_another_ca_or_expired_is_refused_in_the_handshake()
    {
        using var node = new RemoteNode(root.Path);
        var (host, port) = Split(node.Address);

        Assert.False(Handshake(node, host, port, null, SslProtocols.Tls13), "no certificate");
        Assert.False(Handshake(node, host, port, Tls.TlsFiles.Load(node.Pki.Cert("mallory"), node.Pki.Key("mallory")), SslProtocols.Tls13), "another CA's");
        Assert.False(Handshake(node, host, port, Tls.TlsFiles.Load(node.Pki.Cert("expired"), node.Pki.Key("expired")), SslProtocols.Tls13), "expired");
        Assert.True(Handshake(node, host, port, Tls.TlsFiles.Load(node.Pki.Cert("alice"), node.Pki.Key("alice")), SslProtocols.Tls13), "alice's");
        // And a whole call by mallory fails without reaching the service.
        var e = Assert.Throws<RpcException>(() => new Jobs.JobsClient(node.Channel("mallory")).List(new ListRequest()));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.DoesNotContain("mallory", node.Log);
    }

    [RootFact]
    public void Tls_1_2_is_refused_even_with_a_good_certificate()
    {
        using var node = new RemoteNode(root.Path);

        var r = Run.Command("openssl", ["s_client", "-connect", node.Address, "-tls1_2", "-cert", node.Pki.Cert("alice"), "-key", node.Pki.Key("alice"), "-CAfile", node.Pki.Ca],
            TimeSpan.FromSeconds(20), stdin: "");
        var good = Run.Command("openssl", ["s_client", "-connect", node.Address, "-tls1_3", "-cert", node.Pki.Cert("alice"), "-key", node.Pki.Key("alice"), "-CAfile", node.Pki.Ca, "-alpn", "h2"],
            TimeSpan.FromSeconds(20), stdin: "");

        Assert.Contains("alert protocol version", r.Stderr);
        Assert.Contains("Cipher is (NONE)", r.Stdout);
        Assert.Contains("New, TLSv1.3, Cipher is TLS_", good.Stdout);
    }

    [RootFact]
    public void The_client_refuses_a_server_whose_certificate_is_not_from_its_ca_or_not_of_its_name()
    {
        using var node = new RemoteNode(root.Path);

        var otherCa = Assert.Throws<RpcException>(() => new Jobs.JobsClient(node.Channel("alice", ca: node.Pki.OtherCa)).List(new ListRequest()));
        var otherName = Assert.Throws<RpcException>(() => new Jobs.JobsClient(node.Channel("alice", serverName: "other.test")).List(new ListRequest()));
        new Jobs.JobsClient(node.Channel("alice", serverName: "127.0.0.1")).List(new ListRequest());

        // The handshake failed on the client's side: the server's certificate was not trusted.
        Assert.IsType<AuthenticationException>(Assert.IsType<HttpRequestException>(otherCa.Status.DebugException).InnerException);
        Assert.IsType<AuthenticationException>(Assert.IsType<HttpRequestException>(otherName.Status.DebugException).InnerException);
    }

    private static (string, int) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a TLS handshake with the server completes and the server then keeps the connection (TLS 1.3 sends the client's verdict after the client's finish).</summary>
    private static bool Handshake(RemoteNode node, string host, int port, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, SslProtocols protocols)
    {
        var server = new Tls.TrustedChain(Tls.TrustedChain.LoadAuthority(node.Pki.Ca), Tls.TrustedChain.ServerAuth);
        using var tcp = new TcpClient(host, port);
        using var tls = new SslStream(tcp.GetStream());
        try
        {
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = TestPki.ServerName,
                EnabledSslProtocols = protocols,
                ClientCertificates = certificate is null ? null : [certificate],
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, peer, _, _) => peer is System.Security.Cryptography.X509Certificates.X509Certificate2 c && server.Accepts(c),
            });
            // HTTP/2's preface; a refused client certificate shows as an alert or a closed connection on the first read.
            tls.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
            tls.Write([0, 0, 0, 4, 0, 0, 0, 0, 0]);
            tls.ReadTimeout = 10_000;
            var buffer = new byte[64];
            return tls.Read(buffer) > 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException) { return false; }
    }
}
