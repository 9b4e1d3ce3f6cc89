using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

public sealed class CpuListTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,3,5-6", new[] { 0, 1, 3, 5, 6 })]
    [InlineData("3,1,1", new[] { 1, 3 })]
    [InlineData("0-1\n", new[] { 0, 1 })]
    public void Lists_name_their_cpus(string text, int[] cpus) => Assert.Equal(cpus, CpuList.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("-1")]
    [InlineData("3-1")]
    [InlineData("0-1-2")]
    [InlineData("0,,1")]
    [InlineData("0-")]
    [InlineData("8192")]
    [InlineData("0-99999999")]
    [InlineData("1 2")]
    public void Anything_else_is_no_list(string text) => Assert.Null(CpuList.Parse(text));

    [Fact]
    public void Missing_are_the_cpus_the_host_lacks() =>
        Assert.Equal([2, 7], CpuList.Missing(CpuList.Parse("0-2,7")!, "0-1,3-6\n"));
}
