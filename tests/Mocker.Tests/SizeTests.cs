using Xunit;

namespace Mocker.Tests;

public sealed class SizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("512", 512L)]
    [InlineData("64k", 64L << 10)]
    [InlineData("1M", 1L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("3t", 3L << 40)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("64MiB", 64L << 20)]
    public void Sizes_are_dockers_bytes_or_a_number_with_a_binary_unit(string text, long bytes) =>
        Assert.Equal(bytes, ByteSize.Require(text));

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("-1")]
    [InlineData("1.5.0G")]
    [InlineData("10X")]
    [InlineData("1 G")]
    [InlineData("9999999999T")]
    [InlineData("99999999999999999999")]
    public void Anything_else_is_refused_with_an_example(string text) =>
        Assert.Contains("e.g. 2g", Assert.Throws<FormatException>(() => ByteSize.Require(text)).Message);
}
