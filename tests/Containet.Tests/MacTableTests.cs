using Containet.Switching;
using Xunit;

namespace Containet.Tests;

public sealed class MacTableTests
{
    private sealed class P(string name) { public override string ToString() => name; }

    private static readonly P A = new("a"), B = new("b"), C = new("c");

    [Fact]
    public void Learns_and_looks_up_a_source()
    {
        var t = new MacTable<P>(16, 1000, 0);
        Assert.Equal(MacTable<P>.Outcome.Added, t.Learn(0x0200_0000_0001, A, 0));
        Assert.Same(A, t.Lookup(0x0200_0000_0001, 10));
        Assert.Null(t.Lookup(0x0200_0000_0002, 10));
    }

    [Fact]
    public void Never_learns_a_multicast_or_broadcast_source()
    {
        var t = new MacTable<P>(16, 1000, 0);
        Assert.Equal(MacTable<P>.Outcome.Ignored, t.Learn(Mac.Broadcast, A, 0));
        Assert.Equal(MacTable<P>.Outcome.Ignored, t.Learn(0x0100_5e00_0001, A, 0));
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void A_mac_moves_only_after_its_minimum_stay()
    {
        var t = new MacTable<P>(16, 10_000, minMoveMs: 100);
        t.Learn(0x0200_0000_0001, A, 0);
        Assert.Equal(MacTable<P>.Outcome.Held, t.Learn(0x0200_0000_0001, B, 50));
        Assert.Same(A, t.Lookup(0x0200_0000_0001, 50));
        Assert.Equal(MacTable<P>.Outcome.Moved, t.Learn(0x0200_0000_0001, B, 200));
        Assert.Same(B, t.Lookup(0x0200_0000_0001, 200));
    }

    [Fact]
    public void Entries_age_out()
    {
        var t = new MacTable<P>(16, maxAgeMs: 100, 0);
        t.Learn(0x0200_0000_0001, A, 0);
        t.Learn(0x0200_0000_0002, B, 150);
        Assert.Null(t.Lookup(0x0200_0000_0001, 150));
        Assert.Equal(1, t.Age(200));
        Assert.Same(B, t.Lookup(0x0200_0000_0002, 200));
    }

    [Fact]
    public void A_port_flooding_random_sources_evicts_only_its_own_entries()
    {
        var t = new MacTable<P>(capacity: 10, 100_000, 0);
        t.Learn(0x0200_0000_00a1, A, 0);
        t.Learn(0x0200_0000_00b1, B, 0);
        for (ulong i = 0; i < 1000; i++)
            t.Learn(0x0600_0000_0000 + i, C, (long)i);

        Assert.Equal(10, t.Count);
        Assert.Same(A, t.Lookup(0x0200_0000_00a1, 1000));
        Assert.Same(B, t.Lookup(0x0200_0000_00b1, 1000));
        Assert.Same(C, t.Lookup(0x0600_0000_0000 + 999, 1000));
    }

    [Fact]
    public void Flush_forgets_a_ports_entries_only()
    {
        var t = new MacTable<P>(16, 1000, 0);
        t.Learn(0x0200_0000_0001, A, 0);
        t.Learn(0x0200_0000_0002, A, 0);
        t.Learn(0x0200_0000_0003, B, 0);
        Assert.Equal(2, t.Flush(A));
        Assert.Null(t.Lookup(0x0200_0000_0001, 1));
        Assert.Same(B, t.Lookup(0x0200_0000_0003, 1));
    }

    [Fact]
    public void Macs_pack_and_format()
    {
        var mac = Mac.Read([0x02, 0xab, 0xcd, 0xef, 0x01, 0x23]);
        Assert.Equal(0x02ab_cdef_0123UL, mac);
        Assert.Equal("02:ab:cd:ef:01:23", Mac.Format(mac));
        Assert.True(Mac.IsGroup(Mac.Broadcast));
        Assert.False(Mac.IsGroup(mac));
    }
}
