using System.Text.Json;
using Containet.Native;
using Containet.Protocol;
using Xunit;

namespace Containet.Protocol.Tests;

public sealed class ReplyTests
{
    [Fact]
    public void An_error_reply_carries_its_message_and_code()
    {
        using var doc = JsonDocument.Parse(Reply.Error("no pool", ErrorCodes.Unsupported));
        var e = Assert.Throws<SwitchException>(() => Reply.ThrowIfError(doc.RootElement));
        Assert.Equal("no pool", e.Message);
        Assert.Equal(ErrorCodes.Unsupported, e.Code);
        using var plain = JsonDocument.Parse(Reply.Error("why"));
        Assert.Null(Assert.Throws<SwitchException>(() => Reply.ThrowIfError(plain.RootElement)).Code);
    }

    [Fact]
    public void A_grant_comes_back_as_it_went_and_an_empty_one_is_the_original_reply()
    {
        var grant = new NetnsGrant(Addressing.ParseCidr("10.88.0.2/16"), Addressing.ParseAddress("10.88.0.1"), Addressing.ParseAddress("10.88.0.1"));
        using var doc = JsonDocument.Parse(grant.Encode());
        Assert.Equal(grant, NetnsGrant.Decode(doc.RootElement));
        Assert.Equal(Reply.Ok, new NetnsGrant(null, null, null).Encode());
    }

    [Theory]
    [InlineData("""{"ipv4":"10.88.0.300/16"}""")]
    [InlineData("""{"gateway":"gw"}""")]
    [InlineData("""{"dns":[1]}""")]
    public void A_malformed_grant_is_the_switchs_fault(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Contains("malformed", Assert.Throws<SwitchException>(() => NetnsGrant.Decode(doc.RootElement)).Message);
    }

    [Fact]
    public void Listings_come_back_as_they_went()
    {
        var lease = new LeaseEntry("web", System.Net.IPAddress.Parse("10.88.0.2"), 42, true, [new PortMapping(null, 8080, 80, "tcp")]);
        var network = new NetworkInfo("10.88.0.0/16", "10.88.0.1", "10.88.0.1-10.88.255.254", "containet0", true, "10.88.0.1", [lease]);
        using var doc = JsonDocument.Parse(Reply.Object(network.Write));
        var back = NetworkInfo.Read(doc.RootElement);
        Assert.Equal(network with { Leases = [] }, back with { Leases = [] });
        Assert.Equal(lease.Published, back.Leases[0].Published);
        // A switch that does not say which loop reads a port (the original C one) leaves Loop null.
        foreach (var port in new[] { new PortEntry("web", "eth0", "tap1", "no-pi+vnet12", "10.88.0.2/16", 1, 2, 3, 4, 5, 6, Loop: 1),
                     new PortEntry("db", "eth0", "tap2", "pi", null, 1, 2, 3, 4, 5, 6) })
        {
            using var ports = JsonDocument.Parse(Reply.Object(w =>
            {
                w.WriteStartArray("ports");
                port.Write(w);
                w.WriteEndArray();
            }));
            Assert.Equal(port, PortEntry.Read(ports.RootElement.GetProperty("ports")[0]));
        }
    }
}
