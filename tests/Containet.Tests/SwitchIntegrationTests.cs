using System.Text;
using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>The real switch, with real TAPs in namespaces made here.</summary>
public sealed class SwitchIntegrationTests
{
    [RootFact]
    public void Ping_crosses_the_switch_and_both_ports_count_it()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.77.0.1/24");
        sw.Attach(b, "10.77.0.2/24");

        var ping = Hosts.Ping(a, "10.77.0.2");

        Assert.True(ping.ExitCode == 0, ping.Stdout + ping.Stderr);
        Assert.Contains("3 received", ping.Stdout);
        Assert.True(sw.Port(b.Name)!.Value.GetProperty("frames_out").GetInt64() >= 3);
        sw.WaitForLog($"port {a.Name}/eth0 attached: eth0, no-pi+vnet12, offloads on");
    }

    [RootFact]
    public void Unicast_reaches_only_the_learned_port()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        using var c = Hosts.Quiet();
        sw.Attach(a, "10.78.0.1/24");
        sw.Attach(b, "10.78.0.2/24");
        sw.Attach(c, "10.78.0.3/24");
        Hosts.Ping(a, "10.78.0.2", 1).EnsureSuccess(); // ARP broadcast floods; both MACs are learned
        var before = sw.Port(c.Name)!.Value.GetProperty("frames_out").GetInt64();
        Assert.True(before >= 1, "the ARP broadcast should have reached c");

        Hosts.Ping(a, "10.78.0.2", 20, "0.02").EnsureSuccess();

        Assert.Equal(before, sw.Port(c.Name)!.Value.GetProperty("frames_out").GetInt64());
        Assert.True(sw.Port(b.Name)!.Value.GetProperty("frames_out").GetInt64() >= 21);
    }

    [RootFact]
    public void Deleting_a_namespace_ends_its_port_and_flushes_its_macs()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        var b = Hosts.Quiet();
        try
        {
            sw.Attach(a, "10.79.0.1/24");
            sw.Attach(b, "10.79.0.2/24");
            Hosts.Ping(a, "10.79.0.2", 1).EnsureSuccess();
        }
        finally
        {
            b.Dispose();
        }

        Eventually.True(() => sw.Port(b.Name) is null, "b's port to vanish");
        var macs = Run.Command(Repo.Program("containet"), "macs", "-s", sw.Socket, "--json").EnsureSuccess().Stdout;
        Assert.DoesNotContain(b.Name, macs);
        Assert.Contains("device removed", sw.Log);
    }

    [RootFact]
    public void Garbage_requests_get_errors_while_pings_keep_passing()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.80.0.1/24");
        sw.Attach(b, "10.80.0.2/24");
        var pinging = Task.Run(() => Hosts.Ping(a, "10.80.0.2", 40, "0.02"));

        using (var client = SwitchClient.Connect(sw.Socket))
        {
            Assert.Contains("malformed JSON", client.Raw("{not json"u8));
            Assert.Contains("unknown request", client.Raw("""{"frobnicate":{}}"""u8));
            Assert.Contains("needs a file descriptor", client.Raw("""{"authtoken":"x","add-etherfd":{"ifname":"e","nodeid":"n"}}"""u8));
            Assert.Contains("needs 'nodeid'", client.Raw("""{"authtoken":"x","add-etherfd":{"ifname":"e"}}"""u8));
            Assert.Contains("larger than", client.Raw(Encoding.ASCII.GetBytes("{\"x\":\"" + new string('a', 6000) + "\"}")));
            using var devNull = File.OpenHandle("/dev/null");
            using var notATap = new SafeFd((int)devNull.DangerousGetHandle(), ownsHandle: false);
            Assert.Contains("not a TAP", client.Raw("""{"authtoken":"x","add-etherfd":{"ifname":"e","nodeid":"n"}}"""u8, notATap));
            Assert.Equal("{}", client.Raw("""{"authtoken":"x","remove-etherfd":{"nodeid":"nosuch"}}"""u8));
            Assert.StartsWith("""{"ports":[""", client.Raw("""{"list-ports":{}}"""u8));
        }

        var ping = pinging.Result;
        Assert.True(ping.ExitCode == 0, ping.Stdout);
        Assert.Contains(" 0% packet loss", ping.Stdout);
        Assert.Equal(2, sw.Ports().GetArrayLength());
    }

    [RootFact]
    public void Remove_etherfd_needs_the_nodes_token_and_closes_its_ports()
    {
        using var sw = new SwitchProcess();
        using var a = Hosts.Quiet();
        sw.Attach(a, "10.81.0.1/24", "--token", "secret");
        using var client = SwitchClient.Connect(sw.Socket);

        var wrong = Assert.Throws<SwitchException>(() => client.RemoveEtherFd("guess", a.Name));
        Assert.Contains("authtoken", wrong.Message);
        client.RemoveEtherFd("secret", a.Name);

        Assert.Null(sw.Port(a.Name));
    }

    [RootFact]
    public void Remove_etherfd_answers_once_the_tap_is_closed_so_its_name_is_free_at_once()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var a = Hosts.Quiet();
        using var ns = NetNamespace.Open(a.Name);
        using var client = SwitchClient.Connect(sw.Socket);

        for (var i = 0; i < 20; i++)
        {
            // Made inside the namespace, so the TAPs come and go there, not on the host.
            using (var tap = NetNamespace.Run(ns, () => TapDevice.Create("reuse0", TapFlags.NoPacketInfo)))
                client.AddEtherFd("t", "eth0", a.Name, tap.Handle);
            client.RemoveEtherFd("t", a.Name);
        }
        NetNamespace.Run(ns, () => TapDevice.Create("reuse0", TapFlags.NoPacketInfo)).Dispose();
    }

    [RootFact]
    public void Token_file_makes_requests_without_the_token_fail()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("token"), "s3cret\n");
        using var sw = new SwitchProcess("--token-file", dir.Combine("token"));
        using var client = SwitchClient.Connect(sw.Socket);

        Assert.Throws<SwitchException>(() => client.Query(new SwitchRequest.ListPorts(null)).Dispose());
        client.Query(new SwitchRequest.ListPorts("s3cret")).Dispose();
    }

    [RootFact]
    public void Capture_file_opens_in_tcpdump()
    {
        using var dir = new TempDir();
        var pcap = dir.Combine("cap.pcap");
        using var sw = new SwitchProcess("-w", pcap);
        using var a = Hosts.Quiet();
        using var b = Hosts.Quiet();
        sw.Attach(a, "10.82.0.1/24");
        sw.Attach(b, "10.82.0.2/24");
        Hosts.Ping(a, "10.82.0.2", 2).EnsureSuccess();
        Assert.Equal(0, sw.Stop());

        var dump = Run.Command("tcpdump", "-n", "-r", pcap).EnsureSuccess().Stdout;

        Assert.Contains("10.82.0.1 > 10.82.0.2: ICMP echo request", dump);
        Assert.Contains("10.82.0.2 > 10.82.0.1: ICMP echo reply", dump);
        Assert.Contains("ARP, Request who-has 10.82.0.2", dump);
        var frames = PcapFile.Read(pcap);
        var echoes = frames.Select(f => PacketDotNet.Packet.ParsePacket(f.LinkType, f.Data).Extract<PacketDotNet.IcmpV4Packet>())
            .Count(icmp => icmp?.TypeCode == PacketDotNet.IcmpV4TypeCode.EchoRequest);
        Assert.True(echoes >= 2, $"{echoes} echo requests in the capture");
        Assert.Equal(frames.Select(f => f.Time).Order(), frames.Select(f => f.Time));
    }

    [RootFact]
    public void Sigterm_removes_the_socket_and_exits_zero()
    {
        var sw = new SwitchProcess();
        try
        {
            Assert.Equal(0, sw.Stop());
            Assert.False(File.Exists(sw.Socket));
        }
        finally
        {
            sw.Dispose();
        }
    }

    [RootFact]
    public void A_live_switch_is_not_replaced_but_a_stale_socket_is()
    {
        using var sw = new SwitchProcess();
        var second = Run.Command(Repo.Program("containet"), "-s", sw.Socket);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already serving", second.Stderr);

        using var dir = new TempDir();
        var stale = dir.Combine("stale.sock");
        UnixSocket.Listen(stale).Dispose(); // the file stays, nobody listens
        using var replaced = SwitchProcess.At(stale);
        using var client = SwitchClient.Connect(stale);
        client.Query(new SwitchRequest.ListPorts(null)).Dispose();
    }

    [RootFact]
    public void Attach_to_a_missing_namespace_says_how_to_make_one()
    {
        using var sw = new SwitchProcess();
        var r = Run.Command(Repo.Program("containet"), "attach", "-s", sw.Socket, "--netns", "nosuch-" + Unique.Name(), "--ip", "10.83.0.1/24");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ip netns add", r.Stderr);
    }

    [RootFact]
    public void Commands_without_a_switch_fail_with_advice_and_bad_usage_exits_2()
    {
        var r = Run.Command(Repo.Program("containet"), "ports", "-s", "/nonexistent/x.sock");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no switch is listening", r.Stderr);
        Assert.Equal(2, Run.Command(Repo.Program("containet"), "--no-such-flag").ExitCode);
        Assert.Equal(0, Run.Command(Repo.Program("containet"), "attach", "--help").ExitCode);
    }
}
