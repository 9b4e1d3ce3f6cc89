using System.Text;
using Containet.Control;
using Xunit;

namespace Containet.Tests;

public sealed class ControlRequestTests
{
    private static ControlRequest Parse(string json) => ControlRequest.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parses_the_original_protocols_requests()
    {
        Assert.Equal(new ControlRequest.AddEtherFd("t", "eth0", "n1"), Parse("""{"authtoken":"t","add-etherfd":{"ifname":"eth0","nodeid":"n1"}}"""));
        Assert.Equal(new ControlRequest.RemoveEtherFd("t", "n1"), Parse("""{"authtoken":"t","remove-etherfd":{"nodeid":"n1"}}"""));
        Assert.Equal(new ControlRequest.AddCtrlSock("t", "n1"), Parse("""{"authtoken":"t","add-ctrlsock":{"nodeid":"n1"}}"""));
        Assert.Equal(new ControlRequest.ListPorts(null), Parse("""{"list-ports":{}}"""));
        Assert.Equal(new ControlRequest.ListMacs(null), Parse("""{"list-macs":{}}"""));
    }

    [Fact]
    public void Numeric_node_ids_are_taken_as_written() =>
        Assert.Equal(new ControlRequest.RemoveEtherFd(null, "42"), Parse("""{"remove-etherfd":{"nodeid":42}}"""));

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
        Assert.False(Parse("""{"list-ports":{}}""").NeedsFd);
    }
}
