using Containet.Control;
using Xunit;

namespace Containet.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public void A_peer_gets_a_few_lines_a_second_and_then_a_count_of_the_rest()
    {
        var limiter = new RateLimiter(perSecond: 3);
        var allowed = 0;
        for (var i = 0; i < 100; i++)
            if (limiter.Allow("uid 1000", nowMs: 5000 + i)) allowed++;
        Assert.Equal(3, allowed);
        Assert.True(limiter.Allow("uid 0", 5100), "another peer has its own budget");

        Assert.Equal([("uid 1000", 97)], limiter.TakeSuppressed(6000));
        Assert.Empty(limiter.TakeSuppressed(7000));
        Assert.True(limiter.Allow("uid 1000", 6001));
    }

    [Fact]
    public void Counts_are_reported_only_once_their_second_is_over()
    {
        var limiter = new RateLimiter(perSecond: 1);
        limiter.Allow("p", 0);
        limiter.Allow("p", 10);
        Assert.Empty(limiter.TakeSuppressed(500));
        Assert.Equal([("p", 1)], limiter.TakeSuppressed(1000));
    }
}
