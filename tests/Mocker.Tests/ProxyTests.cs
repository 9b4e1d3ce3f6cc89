using System.Net;
using System.Net.Sockets;
using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Mocker.Tests;

/// <summary>
/// Pulls through a proxy, from a namespace that reaches the registry (at 10.77.2.2, behind two veth pairs) only
/// through it: HTTPS_PROXY tunnels with CONNECT, HTTP_PROXY forwards plain HTTP, NO_PROXY sends a registry
/// direct, and a registry on loopback is never proxied.
/// </summary>
public sealed class ProxyTests(ProxiedNetwork net) : IClassFixture<ProxiedNetwork>
{
    private static readonly string Busybox = $"{ProxiedNetwork.RegistryAddress}:5000/library/busybox";

    private string[] Proxies(params string[] more) => [$"HTTPS_PROXY={net.Proxy.Url}", $"HTTP_PROXY={net.Proxy.Url}", .. more];

    // The proxy's requests while `run` ran.
    private string[] ProxyRequests(Action run)
    {
        var before = net.Proxy.Requests.Count;
        run();
        return net.Proxy.Requests.Skip(before).ToArray();
    }

    [RootFact]
    public void An_https_registry_is_reached_through_HTTPS_PROXY_with_CONNECT()
    {
        using var mocker = new MockerProcess();
        RunResult pull = null!;

        var requests = ProxyRequests(() => pull = mocker.RunIn(net.Client.Name, Proxies($"SSL_CERT_FILE={net.Trust}"), "pull", Busybox));

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains($"CONNECT {ProxiedNetwork.RegistryAddress}:5000 HTTP/1.1", requests);
        Assert.True(File.Exists(Path.Combine(mocker.RunIn(net.Client.Name, [], "rootfs", Busybox).EnsureSuccess().Stdout.Trim(), "bin", "busybox")));
    }

    [RootFact]
    public void Without_the_proxy_the_registry_is_out_of_reach_which_proves_the_path()
    {
        using var mocker = new MockerProcess();
        RunResult pull = null!;

        var requests = ProxyRequests(() => pull = mocker.RunIn(net.Client.Name,
            Proxies($"SSL_CERT_FILE={net.Trust}", "NO_PROXY=example.com,10.77.0.0/16"), "--retry-budget=1", "pull", Busybox));

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("unreachable", pull.Stderr);
        Assert.Empty(requests);
    }

    [RootFact]
    public void A_plain_http_registry_is_reached_through_HTTP_PROXY()
    {
        using var far = FarRegistry();
        using var mocker = new MockerProcess();
        var host = far.Reference.Split('/')[0];
        RunResult pull = null!;

        var requests = ProxyRequests(() => pull = mocker.RunIn(net.Client.Name, Proxies(), "--insecure-registry", host, "pull", far.Reference));

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains($"GET http://{host}/v2/test/app/manifests/1 HTTP/1.1", requests);
        Assert.Contains(far.Asked, p => p.Contains("/blobs/", StringComparison.Ordinal));
    }

    [RootFact]
    public void A_registry_on_loopback_is_never_proxied()
    {
        using var near = new ScriptedRegistry(ScriptedRegistry.Manifest(ScriptedRegistry.Config), [ScriptedRegistry.Config],
            listening: Listen(net.Client.Name, IPAddress.Loopback));
        using var mocker = new MockerProcess();
        RunResult pull = null!;

        var requests = ProxyRequests(() => pull = mocker.RunIn(net.Client.Name, Proxies(), "pull", near.Reference));

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Empty(requests);
        Assert.NotEmpty(near.Asked);
    }

    // The scripted image, served at the far end, beside the real registry.
    private ScriptedRegistry FarRegistry() =>
        new(ScriptedRegistry.Manifest(ScriptedRegistry.Config), [ScriptedRegistry.Config], listening: Listen(net.Far.Name, ProxiedNetwork.RegistryAddress));

    // A listener on a free port of `address`, made in `netns`.
    private static TcpListener Listen(string netns, IPAddress address) => NetNamespace.Run(netns, () =>
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        return listener;
    });
}
