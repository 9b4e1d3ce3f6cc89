using System.Security.Cryptography.X509Certificates;

namespace Containode.Remote.Tls;

/// <summary>A certificate with its private key, from two PEM files, in a form SslStream can present.</summary>
public static class TlsFiles
{
    public static X509Certificate2 Load(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        // An ephemeral PEM key cannot be presented by OpenSSL's TLS on every platform; a PKCS#12 round trip can.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
