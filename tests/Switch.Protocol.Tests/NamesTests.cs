using Containet.Protocol;
using Xunit;

namespace Containet.Protocol.Tests;

public sealed class NamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("web-1.example_2")]
    [InlineData("42")]
    [InlineData("ns:a@b+c")]
    public void Plain_names_are_node_ids(string id) => Assert.True(Names.IsNodeId(id));

    [Theory]
    [InlineData("")]
    [InlineData("\u001b[2J")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("tab\there")]
    [InlineData("é")]
    [InlineData("a\u0085")]
    [InlineData("..")]
    [InlineData(".")]
    public void Control_characters_spaces_slashes_dot_dirs_and_non_ascii_are_not(string id) => Assert.False(Names.IsNodeId(id));

    [Fact]
    public void A_node_id_has_at_most_255_characters()
    {
        Assert.True(Names.IsNodeId(new string('a', 255)));
        Assert.False(Names.IsNodeId(new string('a', 256)));
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("tap-1.2_x", true)]
    [InlineData("0123456789abcde", true)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("..", false)]
    [InlineData("a:b", false)]
    [InlineData("", false)]
    public void Interface_names_follow_the_kernels_rules(string name, bool valid) => Assert.Equal(valid, Names.IsInterface(name));
}
