using System.Text;
using Containet.Native;
using Containet.Protocol;
using Xunit;

namespace Containet.Protocol.Tests;

public sealed class SwitchRequestTests
{
    private static SwitchRequest Parse(string json) => SwitchRequest.Decode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parses_the_original_protocols_requests()
    {
        Assert.Equal(new SwitchRequest.AddEtherFd("t", "eth0", "n1"), Parse("""{"authtoken":"t","add-etherfd":{"ifname":"eth0","nodeid":"n1"}}"""));
        Assert.Equal(new SwitchRequest.RemoveEtherFd("t", "n1"), Parse("""{"authtoken":"t","remove-etherfd":{"nodeid":"n1"}}"""));
        Assert.Equal(new SwitchRequest.AddCtrlSock("t", "n1"), Parse("""{"authtoken":"t","add-ctrlsock":{"nodeid":"n1"}}"""));
        Assert.Equal(new SwitchRequest.ListPorts(null), Parse("""{"list-ports":{}}"""));
        Assert.Equal(new SwitchRequest.ListMacs(null), Parse("""{"list-macs":{}}"""));
    }

    [Fact]
    public void Numeric_node_ids_are_taken_as_written() =>
        Assert.Equal(new SwitchRequest.RemoveEtherFd(null, "42"), Parse("""{"remove-etherfd":{"nodeid":42}}"""));

    [Theory]
    [InlineData("{", "malformed JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{}", "empty request")]
    [InlineData("""{"authtoken":"t"}""", "empty request")]
    [InlineData("""{"nuke":{}}""", "unknown request 'nuke'")]
    [InlineData("""{"add-etherfd":{"ifname":"eth0"}}""", "needs 'nodeid'")]
    [InlineData("""{"add-etherfd":"x"}""", "must be an object")]
    [InlineData("""{"authtoken":5,"list-ports":{}}""", "authtoken must be a string")]
    [InlineData("""{"list-ports":{},"list-macs":{}}""", "one request per message")]
    [InlineData("""{"remove-etherfd":{"nodeid":""}}""", "1 to 255 characters")]
    [InlineData("""{"take-netns":{"ifname":"eth0","nodeid":"n","ipv4":"10.1.2.300/24"}}""", "10.1.2.300")]
    [InlineData("""{"take-netns":{"ifname":"eth0","nodeid":"n","mtu":"9"}}""", "bad mtu")]
    [InlineData("""{"add-netns":{"ifname":"eth0","nodeid":"n","gateway":"nowhere"}}""", "add-netns")]
    [InlineData("""{"add-netns":{"ifname":"../x","nodeid":"n"}}""", "bad interface name")]
    [InlineData("""{"publish":{"nodeid":"n"}}""", "needs 'ports'")]
    [InlineData("""{"publish":{"nodeid":"n","ports":[{"host_port":0,"port":80}]}}""", "host_port")]
    [InlineData("""{"publish":{"nodeid":"n","ports":[{"host_port":8080,"port":70000}]}}""", "'port' must be a port")]
    [InlineData("""{"publish":{"nodeid":"n","ports":[{"host_port":8080,"port":80,"protocol":"sctp"}]}}""", "bad protocol")]
    [InlineData("""{"publish":{"nodeid":"n","ports":[{"host_ip":"nowhere","host_port":8080,"port":80}]}}""", "bad host_ip")]
    [InlineData("""{"publish":{"nodeid":"n","ports":["8080:80"]}}""", "must be an object")]
    public void Rejects_with_a_reason(string json, string reason)
    {
        var e = Assert.Throws<ControlProtocolException>(() => Parse(json));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Only_port_and_socket_requests_need_an_fd()
    {
        Assert.True(Parse("""{"add-etherfd":{"ifname":"e","nodeid":"n"}}""").NeedsFd);
        Assert.True(Parse("""{"add-ctrlsock":{"nodeid":"n"}}""").NeedsFd);
        Assert.True(Parse("""{"add-netns":{"ifname":"eth0","nodeid":"n"}}""").NeedsFd);
        Assert.False(Parse("""{"list-ports":{}}""").NeedsFd);
    }

    [Fact]
    public void Requests_go_out_as_the_original_client_wrote_them()
    {
        Assert.Equal("""{"authtoken":"t","add-etherfd":{"ifname":"eth0","nodeid":"n1"}}""", Text(new SwitchRequest.AddEtherFd("t", "eth0", "n1")));
        Assert.Equal("""{"remove-etherfd":{"nodeid":"n1"}}""", Text(new SwitchRequest.RemoveEtherFd(null, "n1")));
        Assert.Equal("""{"authtoken":"a\"b","add-ctrlsock":{"nodeid":"n1"}}""", Text(new SwitchRequest.AddCtrlSock("a\"b", "n1")));
    }

    [Fact]
    public void Every_request_comes_back_as_it_went()
    {
        SwitchRequest[] requests =
        [
            new SwitchRequest.AddEtherFd("t", "eth0", "n"), new SwitchRequest.RemoveEtherFd(null, "n"), new SwitchRequest.AddCtrlSock("t", "n"),
            new SwitchRequest.ListPorts("t"), new SwitchRequest.ListMacs(null), new SwitchRequest.ListLeases(null),
            new SwitchRequest.ShowNetwork(null), new SwitchRequest.Version(null),
        ];
        foreach (var r in requests) Assert.Equal(r, SwitchRequest.Decode(r.Encode()));
    }

    [Fact]
    public void Add_netns_carries_the_interface_configuration()
    {
        var config = new InterfaceConfig(Addressing.ParseMac("02:00:00:00:00:02"), Addressing.ParseCidr("10.88.0.8/16"), 1500, Addressing.ParseAddress("10.88.0.1"));
        var request = new SwitchRequest.AddNetns("t", "eth0", "web", config);
        var back = Assert.IsType<SwitchRequest.AddNetns>(SwitchRequest.Decode(request.Encode()));
        Assert.Equal("02:00:00:00:00:02", Addressing.FormatMac(back.Config.Mac));
        Assert.Equal((config.Address, 1500, config.Gateway), (back.Config.Address, back.Config.Mtu, back.Config.Gateway));
        Assert.Equal("web", request.Node);
    }

    [Fact]
    public void Take_netns_carries_the_interface_configuration()
    {
        var config = new InterfaceConfig(Addressing.ParseMac("02:00:00:00:00:01"), Addressing.ParseCidr("10.88.0.9/16"), 1400, Addressing.ParseAddress("10.88.0.1"));
        var back = Assert.IsType<SwitchRequest.TakeNetns>(SwitchRequest.Decode(new SwitchRequest.TakeNetns("t", "eth0", "web", config).Encode()));
        Assert.Equal("02:00:00:00:00:01", Addressing.FormatMac(back.Config.Mac));
        Assert.Equal(config.Address, back.Config.Address);
        Assert.Equal(1400, back.Config.Mtu);
        Assert.Equal(config.Gateway, back.Config.Gateway);
        var bare = Assert.IsType<SwitchRequest.TakeNetns>(Parse("""{"take-netns":{"ifname":"eth0","nodeid":"n"}}"""));
        Assert.Null(bare.Config.Address);
        Assert.Equal(2, bare.Config.Mac[0] & 3); // a random, locally administered unicast MAC
    }

    [Fact]
    public void The_longest_take_netns_a_launcher_sends_fits_the_original_switch()
    {
        // containode's longest identity and its own 32-digit token, with every field at its widest.
        var config = new InterfaceConfig(Addressing.RandomMac(), Addressing.ParseCidr("255.255.255.255/32"), 65535, Addressing.ParseAddress("255.255.255.255"));
        var request = new SwitchRequest.TakeNetns(new string('f', 32), "eth0", new string('n', 64), config);
        Assert.InRange(request.Encode().Length, 1, Limits.MaxOriginalRequest);
    }

    [Fact]
    public void Published_ports_come_back_as_they_went()
    {
        PortMapping[] ports = [new(null, 8080, 80, "tcp"), new(System.Net.IPAddress.Parse("198.51.100.2"), 5353, 53, "udp")];
        var back = Assert.IsType<SwitchRequest.Publish>(SwitchRequest.Decode(new SwitchRequest.Publish("t", "web", ports).Encode()));
        Assert.Equal(ports, back.Ports);
        Assert.Equal("198.51.100.2:5353->53/udp", back.Ports[1].ToString());
    }

    [Fact]
    public void A_node_publishes_a_bounded_number_of_ports()
    {
        var many = string.Join(",", Enumerable.Range(1, Limits.MaxPublished + 1).Select(p => $$"""{"host_port":{{p}},"port":80}"""));
        var e = Assert.Throws<ControlProtocolException>(() => Parse($$$"""{"publish":{"nodeid":"n","ports":[{{{many}}}]}}"""));
        Assert.Contains($"at most {Limits.MaxPublished}", e.Message);
    }

    private static string Text(SwitchRequest r) => Encoding.UTF8.GetString(r.Encode());
}
