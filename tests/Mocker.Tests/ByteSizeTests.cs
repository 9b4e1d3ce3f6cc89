using Xunit;

namespace Mocker.Tests;

/// <summary>Docker's size grammar, one parser for containode's limits and mocker's caps, and its two print forms.</summary>
public sealed class ByteSizeTests
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

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("100b", 100L)]
    [InlineData("64k", 64L << 10)]
    [InlineData("64m", 64L << 20)]
    [InlineData("64M", 64L << 20)]
    [InlineData("64mb", 64L << 20)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("2t", 2L << 40)]
    [InlineData("0.5k", 512L)]
    [InlineData("1.0001k", 1024L)]
    public void Sizes_read_as_docker_reads_them(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-64m")]
    [InlineData("64x")]
    [InlineData("64 m")]
    [InlineData("6.4.1m")]
    [InlineData(".5m")]
    [InlineData("5.m")]
    [InlineData("64ib")]
    [InlineData("1e3")]
    [InlineData("9999999999999999999999t")]
    [InlineData("8388608t")]
    public void Anything_else_is_no_size(string text) => Assert.Null(ByteSize.Parse(text));

    [Theory]
    [InlineData(100L, "100 B")]
    [InlineData(64L << 20, "64 MiB")]
    [InlineData(3L << 29, "1.5 GiB")]
    [InlineData(1L << 10, "1 KiB")]
    [InlineData((100L << 20) + 1, "100 MiB")]
    public void Sizes_print_in_binary_units(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}
