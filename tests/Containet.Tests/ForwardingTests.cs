using Containet.Switching;
using Xunit;

namespace Containet.Tests;

public sealed class ForwardingTests
{
    private static readonly object In = new(), Other = new();

    [Fact]
    public void Known_unicast_goes_to_its_port() =>
        Assert.Equal(Forwarding.Action.Unicast, Forwarding.Decide(0x0200_0000_0001, In, Other));

    [Fact]
    public void Unknown_unicast_floods() =>
        Assert.Equal(Forwarding.Action.Flood, Forwarding.Decide<object>(0x0200_0000_0001, In, null));

    [Fact]
    public void Broadcast_and_multicast_flood_even_when_something_was_learned()
    {
        Assert.Equal(Forwarding.Action.Flood, Forwarding.Decide(Mac.Broadcast, In, Other));
        Assert.Equal(Forwarding.Action.Flood, Forwarding.Decide(0x3333_0000_0001, In, Other));
    }

    [Fact]
    public void Never_back_out_the_ingress_port() =>
        Assert.Equal(Forwarding.Action.Drop, Forwarding.Decide(0x0200_0000_0001, In, In));
}
