using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 with a free port and storage in
/// a temp dir, optionally with htpasswd basic auth; stopped by PID on Dispose.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly Process process;
    public TempDir Dir { get; } = new("mocker-registry");
    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>A registry in token mode, trusting tokens from <paramref name="tokens"/>.</summary>
    public RegistryServer(TokenService tokens) : this(null, null, tokens) { }

    public RegistryServer(string? htpasswdUser = null, string? password = null, TokenService? tokens = null)
    {
        Port = FreePort();
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
            $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {Dir.Combine("data")}\n  delete:\n    enabled: true\nhttp:\n  addr: {Host}\nlog:\n  level: error\n{auth}");
        process = Process.Start(new ProcessStartInfo("docker-registry") { ArgumentList = { "serve", Dir.Combine("config.yml") }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        Eventually.True(() => process.HasExited || Answers(), "the registry to listen on " + Host);
        if (process.HasExited) throw new InvalidOperationException("docker-registry exited at start");
    }

    private bool Answers()
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, Port);
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
        Run.Command("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", .. (dockerFormat ? (string[])["--format", "v2s2"] : []),
            .. (creds is null ? (string[])[] : ["--dest-creds", creds]), $"oci:{layout}:{tag}", $"docker://{Host}/{repository}"], TimeSpan.FromSeconds(60)).EnsureSuccess();

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        process.Dispose();
        Dir.Dispose();
    }
}
