using Mocker.Http;
using Xunit;

namespace Mocker.Tests;

public sealed class HttpUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000/v2/", false, "127.0.0.1", 5000, "/v2/", "127.0.0.1:5000")]
    [InlineData("https://registry-1.docker.io", true, "registry-1.docker.io", 443, "/", "registry-1.docker.io")]
    [InlineData("HTTPS://auth.docker.io/token?service=x#frag", true, "auth.docker.io", 443, "/token?service=x", "auth.docker.io")]
    [InlineData("http://[::1]:8080/a", false, "[::1]", 8080, "/a", "[::1]:8080")]
    [InlineData("http://[fe80::1]?q=1", false, "[fe80::1]", 80, "/?q=1", "[fe80::1]")]
    [InlineData("https://lab.example:443/x", true, "lab.example", 443, "/x", "lab.example")]
    public void Parses_what_registries_and_token_services_use(string text, bool https, string host, int port, string path, string authority)
    {
        var url = HttpUrl.Parse(text);
        Assert.Equal((https, host, port, path, authority), (url.Https, url.Host, url.Port, url.PathAndQuery, url.Authority));
    }

    [Theory]
    [InlineData("ftp://x/")]
    [InlineData("registry.example/v2/")]
    [InlineData("http://:80/")]
    [InlineData("http://host:0/")]
    [InlineData("http://host:99999/")]
    [InlineData("http://[::1/")]
    [InlineData("http://user:pw@host/")]
    public void Refuses_what_it_cannot_request(string text) => Assert.Throws<FormatException>(() => HttpUrl.Parse(text));

    [Theory]
    [InlineData("https://cdn.example/blobs/x?sig=1", "https://cdn.example/blobs/x?sig=1")]
    [InlineData("//cdn.example:8443/b", "http://cdn.example:8443/b")]
    [InlineData("/v2/other/blobs/sha256:aa#f", "http://reg:5000/v2/other/blobs/sha256:aa")]
    [InlineData("sha256:bb?x=1", "http://reg:5000/v2/team/app/blobs/sha256:bb?x=1")]
    public void Resolves_locations_as_redirects_give_them(string location, string expected) =>
        Assert.Equal(expected, HttpUrl.Parse("http://reg:5000/v2/team/app/blobs/sha256:aa?token=t").Resolve(location).ToString());

    [Fact]
    public void Appends_below_a_base_and_replaces_a_query()
    {
        var mirror = HttpUrl.Parse("https://mirror.example/prefix/");
        Assert.Equal("https://mirror.example/prefix/v2/library/alpine/manifests/latest", mirror.Append("v2/library/alpine/manifests/latest").ToString());
        Assert.Equal("https://auth.example/token?scope=a", HttpUrl.Parse("https://auth.example/token?old=1").WithQuery("scope=a").ToString());
        Assert.Equal("http://a:1", HttpUrl.Parse("http://a:1/x").Origin);
    }
}
