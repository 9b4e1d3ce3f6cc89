using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Containode.Remote.Tls;

/// <summary>
/// Trust in one CA and nothing else: a peer's certificate is good when it chains to that CA (the system's store
/// is never consulted), is within its dates, and may be used for <see cref="Purpose"/>. Both ends use it, the
/// server for clients (clientAuth), the client for the server (serverAuth, and the name it expects).
/// </summary>
public sealed class TrustedChain(X509Certificate2 authority, Oid purpose)
{
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public Oid Purpose => purpose;

    public static X509Certificate2 LoadAuthority(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count != 1) throw new ArgumentException($"{path}: one CA certificate, in PEM, was expected; found {certificates.Count}");
        return certificates[0];
    }

    /// <summary>The policy, for SslStream to build its chain with (it then never loads the system's store, which costs a client about 100 ms).</summary>
    public X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(authority);
        policy.ApplicationPolicy.Add(purpose);
        return policy;
    }

    public bool Accepts(X509Certificate2? peer)
    {
        if (peer is null) return false;
        using var chain = new X509Chain { ChainPolicy = Policy() };
        try
        {
            return chain.Build(peer);
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }
}
