using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

public sealed class CtrlSockTests
{
    [RootFact]
    public void A_handed_over_socket_serves_requests_until_its_node_is_gone()
    {
        using var sw = new SwitchProcess();
        var ns = Hosts.Quiet();
        try
        {
            sw.Attach(ns, "10.87.0.1/24");
            var path = sw.Dir.Combine("inside.sock");
            using (var listener = UnixSocket.Listen(path))
            using (var client = SwitchClient.Connect(sw.Socket))
                client.AddCtrlSock(ns.Name, ns.Name, listener);

            using (var inside = SwitchClient.Connect(path))
            using (var ports = inside.Query(new SwitchRequest.ListPorts(null)))
                Assert.Contains(ns.Name, ports.RootElement.GetRawText());
        }
        finally
        {
            ns.Dispose();
        }

        var path2 = sw.Dir.Combine("inside.sock");
        Eventually.True(() =>
        {
            try { SwitchClient.Connect(path2).Dispose(); return false; }
            catch (NativeException e) { return e.Errno == Errno.ECONNREFUSED; }
        }, "the node's control socket to close with its last port");
    }

    [RootFact]
    public void A_bound_socket_not_yet_listening_is_served_as_the_original_switch_served_it()
    {
        using var sw = new SwitchProcess();
        using var ns = Hosts.Quiet();
        sw.Attach(ns, "10.87.0.2/24");
        var path = sw.Dir.Combine("bound.sock");
        // As the original containode's -p hands it over: bound, and left to the switch to listen on. (.NET removes
        // the socket's file when it closes it, so it stays open here.)
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        using (var fd = new SafeFd((int)bound.Handle, ownsHandle: false))
        using (var client = SwitchClient.Connect(sw.Socket))
            client.AddCtrlSock(ns.Name, ns.Name, fd);

        using var inside = SwitchClient.Connect(path);
        using var ports = inside.Query(new SwitchRequest.ListPorts(null));
        Assert.Contains(ns.Name, ports.RootElement.GetRawText());
    }

    [RootFact]
    public void A_socket_that_is_not_listening_is_refused()
    {
        using var sw = new SwitchProcess();
        var (a, b) = UnixSocket.Pair();
        using (a)
        using (b)
        using (var client = SwitchClient.Connect(sw.Socket))
        {
            var e = Assert.Throws<SwitchException>(() => client.AddCtrlSock("n", "n", a));
            Assert.Contains("not a listening socket", e.Message);
        }
    }

    [RootFact]
    public void Control_sockets_of_nodes_that_never_get_a_port_close_after_the_grace_period()
    {
        using var sw = new SwitchProcess("--netns-pool", "0", "--ctrlsock-grace", "1");
        using var client = SwitchClient.Connect(sw.Socket);
        // One ghost first, so that what the runtime loads once (assemblies, timer threads) is in the baseline.
        AddGhost(sw, client, "warm-up");
        sw.WaitForLog("control socket of node warm-up closed");
        var (fds, threads) = (sw.OpenFds, sw.Threads);

        for (var i = 0; i < 200; i++) AddGhost(sw, client, $"ghost{i}");

        Eventually.True(() => sw.OpenFds <= fds + 2 && sw.Threads <= threads + 4, "the 200 ghost sockets to close");
        var e = Assert.Throws<NativeException>(() => SwitchClient.Connect(sw.Dir.Combine("ghost7.sock")));
        Assert.Equal(Errno.ECONNREFUSED, e.Errno);
    }

    private static void AddGhost(SwitchProcess sw, SwitchClient client, string node)
    {
        using var listener = UnixSocket.Listen(sw.Dir.Combine(node + ".sock"));
        client.AddCtrlSock("t", node, listener);
    }

    [RootFact]
    public void A_node_keeps_at_most_a_few_control_sockets()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var client = SwitchClient.Connect(sw.Socket);
        for (var i = 0; i < 4; i++)
        {
            using var listener = UnixSocket.Listen(sw.Dir.Combine($"n{i}.sock"));
            client.AddCtrlSock("t", "many", listener);
        }
        using var fifth = UnixSocket.Listen(sw.Dir.Combine("n4.sock"));
        var e = Assert.Throws<SwitchException>(() => client.AddCtrlSock("t", "many", fifth));
        Assert.Contains("control sockets", e.Message);
    }
}
