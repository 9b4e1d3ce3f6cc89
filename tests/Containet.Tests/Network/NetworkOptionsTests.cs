using Containet.Network;
using Xunit;

namespace Containet.Tests.Network;

public sealed class NetworkOptionsTests
{
    private static NetworkOptions Create(string subnet, string? gateway = null, string? range = null, string hostPort = "containet0") =>
        NetworkOptions.Create(subnet, gateway, range, hostPort, nat: true, "/var/lib/containet/networks");

    [Fact]
    public void The_gateway_is_the_subnets_first_address_unless_given()
    {
        Assert.Equal("10.88.0.1", Create("10.88.0.0/16").Gateway.ToString());
        Assert.Equal("10.88.0.254", Create("10.88.0.0/16", "10.88.0.254").Gateway.ToString());
        Assert.Equal("10.88.0.0/16", Create("10.88.0.0/16").Range.ToString());
    }

    [Theory]
    [InlineData("10.88.0.1/16", null, null, "host bits")]
    [InlineData("10.88.0.0", null, null, "ADDRESS/PREFIX")]
    [InlineData("10.88.0.0/31", null, null, "no room")]
    [InlineData("fd00::/64", null, null, "only IPv4")]
    [InlineData("banana/8", null, null, "not an IP address")]
    [InlineData("10.88.0.0/16", "10.89.0.1", null, "--gateway-ip")]
    [InlineData("10.88.0.0/16", "10.88.255.255", null, "--gateway-ip")]
    [InlineData("10.88.0.0/16", "10.88.0.0", null, "--gateway-ip")]
    [InlineData("10.88.0.0/16", null, "10.89.0.0/24", "inside --subnet")]
    [InlineData("10.88.0.0/16", null, "10.0.0.0/8", "inside --subnet")]
    public void Wrong_networks_are_refused_naming_the_option(string subnet, string? gateway, string? range, string why) =>
        Assert.Contains(why, Assert.Throws<FormatException>(() => Create(subnet, gateway, range)).Message);

    [Theory]
    [InlineData("")]
    [InlineData("averyveryverylongname")]
    [InlineData("a\"b")]
    [InlineData("a b")]
    public void The_host_port_is_an_interface_name(string name) =>
        Assert.Contains("--host-port", Assert.Throws<FormatException>(() => Create("10.88.0.0/16", hostPort: name)).Message);
}
