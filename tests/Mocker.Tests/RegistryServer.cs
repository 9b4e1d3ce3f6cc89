using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Containet.Native;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 with a free port and storage in
/// a temp dir, optionally with htpasswd basic auth, or over TLS at an address in a network namespace; stopped by
/// PID on Dispose.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly ChildProcess process;
    private readonly string? netns;
    private readonly IPAddress address = IPAddress.Loopback;
    public TempDir Dir { get; } = new("mocker-registry");
    public int Port { get; }
    public string Host => $"{address}:{Port}";

    /// <summary>A registry in token mode, trusting tokens from <paramref name="tokens"/>.</summary>
    public RegistryServer(TokenService tokens) : this(null, null, tokens) { }

    /// <summary>A registry over TLS with <paramref name="certificate"/> (PEM, with its key) at <paramref name="at"/>:5000 in <paramref name="netns"/>.</summary>
    public RegistryServer(string netns, IPAddress at, X509Certificate2 certificate) : this(null, null, null, netns, at, certificate) { }

    public RegistryServer(string? htpasswdUser = null, string? password = null, TokenService? tokens = null) : this(htpasswdUser, password, tokens, null, null, null) { }

    private RegistryServer(string? htpasswdUser, string? password, TokenService? tokens, string? netns, IPAddress? at, X509Certificate2? certificate)
    {
        this.netns = netns;
        address = at ?? address;
        Port = netns is null ? FreePort() : 5000;
        var tls = "";
        if (certificate is not null)
        {
            File.WriteAllText(Dir.Combine("tls.crt"), certificate.ExportCertificatePem());
            File.WriteAllText(Dir.Combine("tls.key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            tls = $"  tls:\n    certificate: {Dir.Combine("tls.crt")}\n    key: {Dir.Combine("tls.key")}\n";
        }
        var auth = "";
        if (tokens is not null)
        {
            File.WriteAllText(Dir.Combine("token.pem"), tokens.CertificatePem);
            auth = $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {TokenService.Service}\n    issuer: {TokenService.Issuer}\n    rootcertbundle: {Dir.Combine("token.pem")}\n";
        }
        if (htpasswdUser is not null)
        {
            Run.Command("htpasswd", "-Bbc", Dir.Combine("htpasswd"), htpasswdUser, password!).EnsureSuccess();
            auth = $"auth:\n  htpasswd:\n    realm: test\n    path: {Dir.Combine("htpasswd")}\n";
        }
        File.WriteAllText(Dir.Combine("config.yml"),
            $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {Dir.Combine("data")}\n  delete:\n    enabled: true\nhttp:\n  addr: {Host}\n{tls}log:\n  level: error\n{auth}");
        // `ip netns exec` execs the registry, which keeps its PID.
        process = ChildProcess.Start(netns is null ? "docker-registry" : "ip",
            [.. netns is null ? (string[])[] : ["netns", "exec", netns, "docker-registry"], "serve", Dir.Combine("config.yml")], collect: true);
        Eventually.True(() => process.HasExited || Answers(), "the registry to listen on " + Host);
        if (process.HasExited) throw new InvalidOperationException("docker-registry exited at start");
    }

    private bool Answers()
    {
        try
        {
            using var c = netns is null ? new Socket(SocketType.Stream, ProtocolType.Tcp)
                : NetNamespace.Run(netns, () => new Socket(SocketType.Stream, ProtocolType.Tcp));
            c.Connect(address, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort() => HttpServer.FreePort();

    /// <summary>Pushes an OCI layout tag with skopeo, as a user would build and push a test image.</summary>
    public void Push(string layout, string tag, string repository, bool dockerFormat = false, string? creds = null) =>
        Run.Command(netns is null ? "skopeo" : "ip", [.. (netns is null ? (string[])[] : ["netns", "exec", netns, "skopeo"]), "copy", "--quiet", "--dest-tls-verify=false", .. (dockerFormat ? (string[])["--format", "v2s2"] : []),
            .. (creds is null ? (string[])[] : ["--dest-creds", creds]), $"oci:{layout}:{tag}", $"docker://{Host}/{repository}"], TimeSpan.FromSeconds(60)).EnsureSuccess();

    public void Dispose()
    {
        process.Dispose();
        Dir.Dispose();
    }
}
