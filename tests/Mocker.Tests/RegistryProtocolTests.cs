using System.Net;
using System.Text;
using Mocker.References;
using Mocker.Registry;
using Xunit;

namespace Mocker.Tests;

public sealed class RegistryProtocolTests
{
    [Fact]
    public void Parses_bearer_challenges()
    {
        var c = AuthChallenge.Parse("""Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull",error="invalid_token" """)!;
        Assert.Equal("Bearer", c.Scheme);
        Assert.Equal("https://auth.docker.io/token", c["realm"]);
        Assert.Equal("registry.docker.io", c["service"]);
        Assert.Equal("repository:library/alpine:pull", c["scope"]);
        Assert.Equal("invalid_token", c["error"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""", "image not found: docker.io/library/nosuch:latest")]
    [InlineData(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""", "access denied")]
    [InlineData(HttpStatusCode.TooManyRequests, """{"errors":[{"code":"TOOMANYREQUESTS"}]}""", "rate limiting")]
    [InlineData(HttpStatusCode.InternalServerError, "not json", "500")]
    public void Error_bodies_become_clear_messages(HttpStatusCode status, string body, string expected) =>
        Assert.Contains(expected, RegistryException.FromResponse(status, body, "docker.io/library/nosuch:latest").Message);

    [Fact]
    public void An_index_picks_the_platform_or_lists_the_choices()
    {
        var index = Encoding.UTF8.GetBytes("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v7"}}]}
            """);
        var m = Manifest.Parse(index, null, "sha256:x", "example/multi");
        Assert.True(m.IsIndex);
        Assert.StartsWith("sha256:bbbb", m.Select(Platform.Parse("linux/arm/v7")).Digest);
        var e = Assert.Throws<RegistryException>(() => m.Select(Platform.Parse("linux/riscv64")));
        Assert.Contains("linux/amd64, linux/arm/v7", e.Message);
    }

    [Fact]
    public void Plain_http_only_for_loopback_and_named_registries()
    {
        var o = new RegistryOptions { InsecureRegistries = ["lab.example:5000"] };
        Assert.True(o.AllowsHttp("localhost:5000"));
        Assert.True(o.AllowsHttp("127.0.0.1:5000"));
        Assert.True(o.AllowsHttp("127.8.9.1"));
        Assert.True(o.AllowsHttp("lab.example:5000"));
        Assert.False(o.AllowsHttp("docker.io"));
        Assert.False(o.AllowsHttp("10.0.0.1:5000"));
    }

    [Fact]
    public void Zstd_and_gzip_layers_are_told_apart()
    {
        Assert.Equal(MediaTypes.Compression.Gzip, MediaTypes.LayerCompression("application/vnd.oci.image.layer.v1.tar+gzip"));
        Assert.Equal(MediaTypes.Compression.Zstd, MediaTypes.LayerCompression("application/vnd.oci.image.layer.v1.tar+zstd"));
        Assert.Equal(MediaTypes.Compression.None, MediaTypes.LayerCompression("application/vnd.oci.image.layer.v1.tar"));
    }
}
