using Mocker;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

public sealed class ByteSizeTests
{
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
