using Containet.Native;
using Containet.Network;
using Containet.Protocol;
using Containet.Restart;
using Xunit;

namespace Containet.Tests.Network;

public sealed class LeaseTableTests
{
    private static NetworkOptions Options(string subnet = "10.88.0.0/29", string? gateway = null, string? range = null) =>
        NetworkOptions.Create(subnet, gateway, range, "containet0", nat: false, "/nonexistent");

    private static string Text(Lease l) => Ipv4Network.ToAddress(l.Address).ToString();

    [Fact]
    public void Leases_are_the_lowest_free_host_addresses_past_the_gateway()
    {
        var table = new LeaseTable(Options());
        Assert.Equal("10.88.0.2", Text(table.Allocate("a", null)));
        Assert.Equal("10.88.0.3", Text(table.Allocate("b", null)));
        table.Release("a");
        Assert.Equal("10.88.0.2", Text(table.Allocate("c", null)));
    }

    [Fact]
    public void A_full_pool_is_a_clear_error_and_never_hands_out_the_broadcast_address()
    {
        var table = new LeaseTable(Options()); // a /29: .1 the gateway, .2 to .6 for containers, .7 broadcast
        for (var i = 0; i < 5; i++) table.Allocate("n" + i, null);
        var e = Assert.Throws<ControlProtocolException>(() => table.Allocate("more", null));
        Assert.Contains("no free address", e.Message);
        Assert.DoesNotContain(table.All, l => Text(l) == "10.88.0.7");
    }

    [Fact]
    public void The_range_narrows_the_pool_and_a_gateway_elsewhere_is_skipped()
    {
        var table = new LeaseTable(Options("10.88.0.0/16", "10.88.1.1", "10.88.1.0/30"));
        Assert.Equal("10.88.1.0", Text(table.Allocate("a", null)));
        Assert.Equal("10.88.1.2", Text(table.Allocate("b", null)));
    }

    [Fact]
    public void A_reservation_takes_its_address_and_a_conflict_names_the_holder()
    {
        var table = new LeaseTable(Options("10.88.0.0/16"));
        table.Reserve("web", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.2")), null);
        Assert.Equal("10.88.0.3", Text(table.Allocate("next", null)));
        var e = Assert.Throws<ControlProtocolException>(() => table.Reserve("db", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.2")), null));
        Assert.Contains("in use by node web", e.Message);
        Assert.Contains("gateway", Assert.Throws<ControlProtocolException>(() => table.Reserve("db", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.1")), null)).Message);
        Assert.Contains("not a host address", Assert.Throws<ControlProtocolException>(() => table.Reserve("db", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.255.255")), null)).Message);
        Assert.Contains("already holds", Assert.Throws<ControlProtocolException>(() => table.Allocate("web", null)).Message);
    }

    [Fact]
    public void Names_are_found_in_any_case()
    {
        var table = new LeaseTable(Options());
        var web = table.Allocate("Web", null);
        Assert.Equal(web, table.FindByName("web"));
        Assert.Null(table.FindByName("db"));
    }

    [Fact]
    public void Restoring_refuses_what_does_not_fit_this_network()
    {
        var table = new LeaseTable(Options());
        Assert.True(table.Restore(new Lease("a", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.5")), null, [])));
        Assert.False(table.Restore(new Lease("b", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.5")), null, [])));
        Assert.False(table.Restore(new Lease("c", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.99.0.5")), null, [])));
        Assert.False(table.Restore(new Lease("d", Ipv4Network.ToUInt(System.Net.IPAddress.Parse("10.88.0.1")), null, [])));
    }

    [Fact]
    public void The_lease_file_keeps_launchers_and_published_ports()
    {
        using var dir = new Containet.TestSupport.TempDir();
        var path = dir.Combine("containet0.json");
        Lease[] leases = [new("web", 0x0A580002, new ProcessIdentity(42, 1234), [new PortMapping(null, 8080, 80, "tcp")]), new("db", 0x0A580003, null, [])];
        LeaseFile.Save(path, leases);
        var back = LeaseFile.Load(path);
        Assert.Equal(leases.Length, back.Count);
        Assert.Equal(leases[0] with { Published = [] }, back[0] with { Published = [] });
        Assert.Equal(leases[0].Published, back[0].Published);
        Assert.Equal(leases[1] with { Published = [] }, back[1] with { Published = [] });
        Assert.Empty(LeaseFile.Load(dir.Combine("none.json")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"leases":[{"nodeid":"a/../b","ipv4":"10.88.0.2","published":[]}]}""")]
    [InlineData("""{"leases":[{"nodeid":"a","ipv4":"10.88.0.999","published":[]}]}""")]
    [InlineData("""{"leases":[{"nodeid":"a","ipv4":"10.88.0.2"}]}""")]
    public void A_damaged_lease_file_is_refused(string text)
    {
        using var dir = new Containet.TestSupport.TempDir();
        File.WriteAllText(dir.Combine("x.json"), text);
        Assert.Throws<InvalidDataException>(() => LeaseFile.Load(dir.Combine("x.json")));
    }
}
