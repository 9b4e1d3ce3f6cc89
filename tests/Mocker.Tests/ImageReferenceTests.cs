using Mocker.References;
using Xunit;

namespace Mocker.Tests;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "latest", null)]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null)]
    [InlineData("user/app", "docker.io", "user/app", "latest", null)]
    [InlineData("docker.io/library/alpine", "docker.io", "library/alpine", "latest", null)]
    [InlineData("index.docker.io/user/app:1", "docker.io", "user/app", "1", null)]
    [InlineData("localhost/app", "localhost", "app", "latest", null)]
    [InlineData("127.0.0.1:5000/library/busybox:latest", "127.0.0.1:5000", "library/busybox", "latest", null)]
    [InlineData("ghcr.io/org/team/app:v1.2", "ghcr.io", "org/team/app", "v1.2", null)]
    [InlineData("my_org/a__b.c--d-e:_v1.0-rc", "docker.io", "my_org/a__b.c--d-e", "_v1.0-rc", null)]
    [InlineData("alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io", "library/alpine", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Normalises_like_docker(string text, string registry, string repository, string? tag, string? digest) =>
        Assert.Equal(new ImageReference(registry, repository, tag, digest), ImageReference.Parse(text));

    [Fact]
    public void Docker_hub_is_reached_at_its_api_host() =>
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("alpine").ApiHost);

    [Theory]
    [InlineData("")]
    [InlineData("UPPER/case")]
    [InlineData("alpine@sha256:short")]
    [InlineData("alpine:bad tag")]
    [InlineData("a//b")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("-a")]
    [InlineData("a_")]
    [InlineData("alpine:.tag")]
    [InlineData("alpine@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Refuses_malformed_references(string text) =>
        Assert.Throws<FormatException>(() => ImageReference.Parse(text));

    [Fact]
    public void Platforms_parse_and_match()
    {
        var p = Platform.Parse("linux/arm64/v8");
        Assert.True(p.Matches("linux", "arm64", "v8"));
        Assert.False(p.Matches("linux", "arm64", "v7"));
        Assert.True(Platform.Parse("linux/amd64").Matches("linux", "amd64", null));
        Assert.Throws<FormatException>(() => Platform.Parse("linux"));
    }
}
