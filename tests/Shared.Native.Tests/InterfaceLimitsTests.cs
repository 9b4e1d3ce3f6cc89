using Containet.Native;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>Interface names and MTUs are checked before any netlink request, with the rule in the message.</summary>
public sealed class InterfaceLimitsTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("a")]
    [InlineData("abcdefghijklmno")]
    [InlineData("veth.1_a-b")]
    public void Good_names_pass(string name) => Assert.Equal(name, InterfaceLimits.CheckName(name));

    [Theory]
    [InlineData("abcdefghijklmnop", "16 characters long")]
    [InlineData("", "not an interface name")]
    [InlineData(".", "not an interface name")]
    [InlineData("..", "not an interface name")]
    [InlineData("a/b", "not an interface name")]
    [InlineData("a:b", "not an interface name")]
    [InlineData("a b", "not an interface name")]
    [InlineData("\u001b[31m", "not an interface name")]
    [InlineData("été", "not an interface name")]
    public void Bad_names_say_what_is_wrong(string name, string says) =>
        Assert.Contains(says, Assert.Throws<FormatException>(() => InterfaceLimits.CheckName(name)).Message);

    [Theory]
    [InlineData("68", 68)]
    [InlineData("1500", 1500)]
    [InlineData("65521", 65521)]
    public void Mtus_a_tap_takes_pass(string text, int mtu) => Assert.Equal(mtu, InterfaceLimits.ParseMtu(text));

    [Theory]
    [InlineData("67")]
    [InlineData("65522")]
    [InlineData("0")]
    [InlineData("-1500")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    public void Other_mtus_are_refused_with_the_range(string text) =>
        Assert.Contains("from 68 to 65521", Assert.Throws<FormatException>(() => InterfaceLimits.ParseMtu(text)).Message);
}
