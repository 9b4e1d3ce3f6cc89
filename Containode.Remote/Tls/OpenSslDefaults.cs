namespace Containode.Remote.Tls;

/// <summary>
/// Points OpenSSL's default trust locations (SSL_CERT_FILE, SSL_CERT_DIR) at the one CA, in this process's own
/// environment, before its first TLS use. .NET builds a chain for the client's own certificate
/// (SslStreamCertificateContext) with the system's store whatever the policy, and reading the whole system CA
/// bundle was most of a client's start (bench/remote.sh). Trust is decided by <see cref="TrustedChain"/>'s custom
/// root alone, so this changes no decision; the server does not call it, as the programs it runs may need the
/// system's store.
/// </summary>
public static class OpenSslDefaults
{
    public static void TrustOnly(string authorityFile)
    {
        // A directory that does not exist: OpenSSL then looks in none.
        Containet.Native.Posix.SetEnvironment("SSL_CERT_FILE", Path.GetFullPath(authorityFile));
        Containet.Native.Posix.SetEnvironment("SSL_CERT_DIR", "/nonexistent/containode");
    }
}
