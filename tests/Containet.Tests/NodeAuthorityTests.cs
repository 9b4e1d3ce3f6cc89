using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>A control socket handed in with add-ctrlsock speaks for its node only; tokens guard remove-etherfd.</summary>
public sealed class NodeAuthorityTests
{
    [RootFact]
    public void A_nodes_socket_sees_only_that_node_and_cannot_touch_another()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.72.0.1/24", "--token", "ta");
        sw.Attach(b, "10.72.0.2/24", "--token", "tb");
        Hosts.Ping(a, "10.72.0.2", 1).EnsureSuccess();
        var path = sw.Dir.Combine("a.sock");
        using (var listener = UnixSocket.Listen(path))
        using (var admin = SwitchClient.Connect(sw.Socket))
            admin.AddCtrlSock("ta", a.Name, listener);
        using var inside = SwitchClient.Connect(path);

        using (var ports = inside.Query(new SwitchRequest.ListPorts(null)))
        {
            var text = ports.RootElement.GetRawText();
            Assert.Contains(a.Name, text);
            Assert.DoesNotContain(b.Name, text);
        }
        using (var macs = inside.Query(new SwitchRequest.ListMacs(null)))
        {
            Assert.Equal(1, macs.RootElement.GetProperty("macs").GetArrayLength());
            Assert.Equal(a.Name, macs.RootElement.GetProperty("macs")[0].GetProperty("nodeid").GetString());
        }
        // Even with b's own token, and whatever the request: b is not a's to touch.
        Assert.Contains("node " + a.Name + " only", Assert.Throws<SwitchException>(() => inside.RemoveEtherFd("tb", b.Name)).Message);
        Assert.Contains("only", Assert.Throws<SwitchException>(() => inside.TakeNetns("tb", "eth0", b.Name)).Message);
        using (var other = UnixSocket.Listen(sw.Dir.Combine("b.sock")))
            Assert.Contains("only", Assert.Throws<SwitchException>(() => inside.AddCtrlSock("tb", b.Name, other)).Message);
        Assert.Contains("authtoken", Assert.Throws<SwitchException>(() => inside.RemoveEtherFd(null, a.Name)).Message);

        Hosts.Ping(a, "10.72.0.2").EnsureSuccess();
        Assert.Equal(2, sw.Ports().GetArrayLength());
    }

    [RootFact]
    public void Remove_etherfd_without_a_token_is_for_the_switchs_own_socket_only()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        sw.Attach(a, "10.73.0.1/24", "--token", "ta");
        using var admin = SwitchClient.Connect(sw.Socket);

        Assert.Contains("authtoken", Assert.Throws<SwitchException>(() => admin.RemoveEtherFd(a.Name, a.Name)).Message);
        Assert.NotNull(sw.Port(a.Name));
        admin.RemoveEtherFd(null, a.Name);

        Assert.Null(sw.Port(a.Name));
    }

    [RootFact]
    public void Without_a_token_a_port_is_not_removable_by_its_node_id()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        sw.Attach(a, "10.74.0.1/24");
        using var admin = SwitchClient.Connect(sw.Socket);

        Assert.Throws<SwitchException>(() => admin.RemoveEtherFd(a.Name, a.Name));

        Assert.NotNull(sw.Port(a.Name));
    }
}
