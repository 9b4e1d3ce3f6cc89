using Mocker.Extraction;
using Xunit;

namespace Mocker.Tests;

public sealed class UnpackLimitTests
{
    [Fact]
    public void By_default_a_layer_may_unpack_to_100_times_its_size_and_always_to_1_GiB()
    {
        var rule = new UnpackLimit(null);
        Assert.Equal(1L << 30, rule.For(0));
        Assert.Equal(1L << 30, rule.For(10 << 20));
        Assert.Equal(100L * (50 << 20), rule.For(50 << 20));
        Assert.Equal(long.MaxValue, rule.For(long.MaxValue / 50));
    }

    [Fact]
    public void A_fixed_cap_replaces_the_rule_both_ways()
    {
        Assert.Equal(1L << 20, new UnpackLimit(1L << 20).For(50 << 20));
        Assert.Equal(8L << 30, new UnpackLimit(8L << 30).For(1));
    }
}
