using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// An original-style client (IFF_TAP only: packet-information headers, no offloads) on the same switch as a
/// port with offloads: the switch must re-frame, complete checksums and segment TSO frames for it.
/// </summary>
public sealed class MixedFramingTests
{
    [RootFact]
    public void Tcp_flows_both_ways_between_an_offload_port_and_a_plain_pi_port()
    {
        using var sw = new SwitchProcess();
        using var fast = Hosts.Quiet();
        using var plain = Hosts.Quiet();
        sw.Attach(fast, "10.84.0.1/24");
        AttachLikeTheOriginalClient(sw.Socket, plain, "10.84.0.2", 24);
        Hosts.Ping(fast, "10.84.0.2", 2).EnsureSuccess();

        using var server = new IperfServer(plain, "10.84.0.2");
        var upload = fast.Exec(TimeSpan.FromSeconds(30), "iperf3", "-c", "10.84.0.2", "-n", "20M", "--connect-timeout", "3000");

        Assert.True(upload.ExitCode == 0, upload.Stdout + upload.Stderr);
        Assert.Contains("receiver", upload.Stdout);
        // iperf3 stops when the sender is done and the server drops what it has not read: most, not all, of
        // the 20 MB crosses the switch, cut into MTU-sized segments for the plain port.
        Eventually.True(() => sw.Port(plain.Name)!.Value.GetProperty("frames_out").GetInt64() > 7000, "7000 segments out of the plain port");
        Assert.True(sw.Port(plain.Name)!.Value.GetProperty("bytes_out").GetInt64() > 10_000_000);
        var plainPort = sw.Port(plain.Name)!.Value;
        Assert.Equal("pi", plainPort.GetProperty("framing").GetString());
        Assert.Equal(0, plainPort.GetProperty("errors").GetInt64());
    }

    private static void AttachLikeTheOriginalClient(string socket, NetNs ns, string address, int prefix)
    {
        using var nsFd = NetNamespace.Open(ns.Name);
        using var tap = TapDevice.CreateIn(nsFd, "eth0", TapFlags.None);
        NetNamespace.Run(nsFd, () =>
        {
            Netlink.AddAddress("eth0", System.Net.IPAddress.Parse(address), prefix);
            Netlink.SetLinkUp("eth0");
            return 0;
        });
        using var client = SwitchClient.Connect(socket);
        client.AddEtherFd(ns.Name, "eth0", ns.Name, tap.Handle);
    }
}
