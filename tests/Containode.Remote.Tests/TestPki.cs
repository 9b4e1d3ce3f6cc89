using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Containode.Remote.Tests;

/// <summary>
/// The certificates a test needs, made fresh in a temp folder as PEM files: a CA, the server's (127.0.0.1 and
/// node.test), alice, bob and an administrator (ops) from that CA, mallory from a second CA, and an expired alice.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string ServerName = "node.test";
    private readonly TempDir dir = new("containode-pki");

    public string Ca { get; }
    public string OtherCa { get; }

    public TestPki()
    {
        using var ca = Authority("test-ca");
        using var other = Authority("other-ca");
        Ca = Write("ca.crt", ca.ExportCertificatePem());
        OtherCa = Write("other-ca.crt", other.ExportCertificatePem());
        Issue(ca, "node", server: true);
        foreach (var name in new[] { "alice", "bob", "ops" }) Issue(ca, name, server: false);
        Issue(other, "mallory", server: false);
        Issue(ca, "expired", server: false, notAfter: DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    public string Cert(string name) => dir.Combine(name + ".crt");
    public string Key(string name) => dir.Combine(name + ".key");

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    private void Issue(X509Certificate2 ca, string name, bool server, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(ServerName);
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(1);
        using var issued = request.Create(ca, notAfter is null ? DateTimeOffset.UtcNow.AddHours(-1) : end.AddHours(-2), end, serial);
        Write(name + ".crt", issued.ExportCertificatePem());
        Write(name + ".key", key.ExportPkcs8PrivateKeyPem());
    }

    private string Write(string name, string pem)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose() => dir.Dispose();
}
