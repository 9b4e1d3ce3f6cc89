using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// Three network namespaces in a row, each joined to the next by a veth pair: the client's (10.77.1.1), the
/// proxy's (10.77.1.2 and 10.77.2.1) and the registry's (10.77.2.2). The client has no route to the registry's
/// network and the proxy's namespace forwards nothing, so the client reaches the registry only through a proxy.
/// A TLS registry with a busybox image listens there, and a <see cref="TestProxy"/> in the middle; all of it
/// goes with the namespaces on Dispose.
/// </summary>
public sealed class ProxiedNetwork : IDisposable
{
    public static readonly IPAddress RegistryAddress = IPAddress.Parse("10.77.2.2");
    private static readonly IPAddress ProxyAddress = IPAddress.Parse("10.77.1.2");

    private readonly List<IDisposable> owned = [];

    public NetNs Client { get; }
    public NetNs Middle { get; }
    public NetNs Far { get; }
    public TestProxy Proxy { get; }
    public RegistryServer Registry { get; }

    /// <summary>The registry's certificate, as a file for SSL_CERT_FILE: the only one a client run with it trusts.</summary>
    public string Trust { get; }

    public ProxiedNetwork()
    {
        try
        {
            Client = Own(new NetNs("mcl"));
            Middle = Own(new NetNs("mpx"));
            Far = Own(new NetNs("mrg"));
            Link(Client, "10.77.1.1/24", Middle, $"{ProxyAddress}/24");
            Link(Middle, "10.77.2.1/24", Far, $"{RegistryAddress}/24");
            Middle.Exec("sysctl", "-qw", "net.ipv4.ip_forward=0").EnsureSuccess();
            Proxy = Own(new TestProxy(Middle.Name, ProxyAddress, 3128));

            var images = Own(new TestImages());
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={RegistryAddress}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(RegistryAddress);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
            Registry = Own(new RegistryServer(Far.Name, RegistryAddress, certificate));
            Trust = Registry.Dir.Combine("tls.crt");
            Registry.Push(images.Layout, "busybox", "library/busybox:latest");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private T Own<T>(T thing) where T : IDisposable
    {
        owned.Add(thing);
        return thing;
    }

    // A veth pair made straight into the two namespaces, addressed and up.
    private static void Link(NetNs a, string aAddress, NetNs b, string bAddress)
    {
        var (aEnd, bEnd) = ("va" + Unique.Name(), "vb" + Unique.Name());
        Run.Command("ip", "link", "add", aEnd, "netns", a.Name, "type", "veth", "peer", "name", bEnd, "netns", b.Name).EnsureSuccess();
        foreach (var (ns, end, address) in new[] { (a, aEnd, aAddress), (b, bEnd, bAddress) })
        {
            Run.Command("ip", "-n", ns.Name, "addr", "add", address, "dev", end).EnsureSuccess();
            Run.Command("ip", "-n", ns.Name, "link", "set", end, "up").EnsureSuccess();
        }
    }

    /// <summary>Stops what runs in the namespaces, then deletes them, which takes the veth pairs along.</summary>
    public void Dispose()
    {
        for (var i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
