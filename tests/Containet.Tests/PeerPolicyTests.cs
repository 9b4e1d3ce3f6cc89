using Containet.Control;
using Xunit;

namespace Containet.Tests;

public sealed class PeerPolicyTests
{
    [Fact]
    public void Root_and_the_owner_may_connect_others_only_through_the_group()
    {
        var policy = new PeerPolicy(ownUid: 1000, groupId: 4242);
        Assert.True(policy.Allows(1, 0, 0));
        Assert.True(policy.Allows(1, 1000, 1000));
        Assert.True(policy.Allows(1, 2000, 4242));
        Assert.False(policy.Allows(Environment.ProcessId, 2000, 2000));
        Assert.False(new PeerPolicy(1000, null).Allows(1, 2000, 4242));
    }

    [Fact]
    public void Groups_resolve_by_name_or_number()
    {
        Assert.Equal(0u, PeerPolicy.ResolveGroup("root"));
        Assert.Equal(4242u, PeerPolicy.ResolveGroup("4242"));
        Assert.Null(PeerPolicy.ResolveGroup("no-such-group-here"));
    }
}
