using Containet.Native;
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
            using (var ports = inside.Query("list-ports"))
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
}
