using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Containode.Cli;
using Grpc.Net.Client;

namespace Containode.Remote.Client;

/// <summary>
/// Where a remote node is and how to prove who we are to it: --host (CONTAINODE_HOST), --tls-cert, --tls-key and
/// --tls-ca (CONTAINODE_TLS_CERT, _KEY, _CA), and --tls-server-name (CONTAINODE_TLS_SERVER_NAME; default the
/// host's name). The node's certificate must chain to that CA alone and name the server; TLS 1.3 only.
/// </summary>
public sealed class RemoteConnection
{
    public static readonly CliOption Host = new("--host", 'H', "ADDR:PORT", "the node's containode serve");
    public static readonly CliOption Cert = new("--tls-cert", null, "FILE", "this client's certificate (PEM)");
    public static readonly CliOption Key = new("--tls-key", null, "FILE", "its private key (PEM)");
    public static readonly CliOption Ca = new("--tls-ca", null, "FILE", "the CA the node's certificate must chain to");
    public static readonly CliOption ServerName = new("--tls-server-name", null, "NAME", "the name the node's certificate must have");
    public static readonly CliOption[] Options = [Host, Cert, Key, Ca, ServerName];

    public required string Address { get; init; }
    public required string CertFile { get; init; }
    public required string KeyFile { get; init; }
    public required string CaFile { get; init; }
    public required string Name { get; init; }

    /// <summary>The connection the options and the environment describe; a <see cref="UsageException"/> names what is missing.</summary>
    public static RemoteConnection From(ArgParser.Result parsed)
    {
        string Get(CliOption option, string variable) =>
            parsed.Value(option) ?? (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v
                : throw new UsageException($"a remote node needs {option.Long} or {variable}"));
        var host = Get(Host, "CONTAINODE_HOST");
        if (!Uri.TryCreate("https://" + host, UriKind.Absolute, out var uri) || uri.IsDefaultPort || uri.AbsolutePath != "/")
            throw new UsageException($"--host {host}: ADDR:PORT");
        return new RemoteConnection
        {
            Address = uri.GetLeftPart(UriPartial.Authority),
            CertFile = Get(Cert, "CONTAINODE_TLS_CERT"),
            KeyFile = Get(Key, "CONTAINODE_TLS_KEY"),
            CaFile = Get(Ca, "CONTAINODE_TLS_CA"),
            Name = parsed.Value(ServerName) ?? (Environment.GetEnvironmentVariable("CONTAINODE_TLS_SERVER_NAME") is { Length: > 0 } n ? n : uri.IdnHost.Trim('[', ']')),
        };
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the client's certificate lives as long as the channel's handler, which owns it")]
    public GrpcChannel Open()
    {
        Tls.OpenSslDefaults.TrustOnly(CaFile);
        var server = new Tls.TrustedChain(Tls.TrustedChain.LoadAuthority(CaFile), Tls.TrustedChain.ServerAuth);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            // Our own connect leaves out gRPC's client-side load balancer (a handler with a ConnectCallback gets none):
            // one node at one address needs no subchannels, and a client that makes a call or two should not start them.
            ConnectCallback = Connect,
            // A follower's output comes without waiting for window updates every 64 KiB (bench/remote.sh: followers).
            InitialHttp2StreamWindowSize = 1 << 20,
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = Name,
                EnabledSslProtocols = SslProtocols.Tls13,
                // AES-128-GCM, which every TLS 1.3 server implements (RFC 8446, 9.1): the node encrypts every follower's
                // output, and it costs less per byte than the AES-256-GCM the server would otherwise choose.
                CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]),
                // Offline, and with our own chain policy: no trip to the system's store or the network.
                ClientCertificateContext = SslStreamCertificateContext.Create(Tls.TlsFiles.Load(CertFile, KeyFile), null, offline: true),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = server.Policy(),
                // SslStream built the chain with that policy; the name is checked here, whatever host the handler gave it.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None && certificate is X509Certificate2 peer && peer.MatchesHostname(Name),
            },
        };
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 4 << 20 });
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the stream owns the socket, and the handler the stream")]
    private static async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
