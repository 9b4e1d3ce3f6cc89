using System.Net;
using Mocker.Http;
using Xunit;

namespace Mocker.Tests;

/// <summary>Which requests go through the proxy the environment names, as Go's net/http and curl decide it.</summary>
public sealed class EnvironmentProxyTests
{
    private static EnvironmentProxy? From(params (string Name, string Value)[] variables) =>
        EnvironmentProxy.From(name => variables.FirstOrDefault(v => v.Name == name).Value);

    private static string? Via(EnvironmentProxy proxy, string url) => proxy.GetProxy(new Uri(url))?.ToString();

    [Fact]
    public void No_proxy_variable_no_proxy() => Assert.Null(From(("NO_PROXY", "example.com")));

    [Fact]
    public void Https_and_http_urls_take_their_own_proxy_and_upper_case_comes_first()
    {
        var proxy = From(("HTTPS_PROXY", "http://secure:3128"), ("https_proxy", "http://ignored:1"), ("http_proxy", "plain:8080"))!;
        Assert.Equal("http://secure:3128/", Via(proxy, "https://registry.example/v2/"));
        Assert.Equal("http://plain:8080/", Via(proxy, "http://registry.example:5000/v2/"));
        Assert.Null(Via(From(("HTTPS_PROXY", "http://secure:3128"))!, "http://registry.example/v2/"));
    }

    [Theory]
    [InlineData("http://localhost:5000/v2/")]
    [InlineData("https://127.0.0.1/v2/")]
    [InlineData("http://127.8.9.10:5000/v2/")]
    [InlineData("http://[::1]:5000/v2/")]
    public void Loopback_is_never_proxied(string url) =>
        Assert.Null(Via(From(("HTTPS_PROXY", "http://p:1"), ("HTTP_PROXY", "http://p:1"))!, url));

    [Theory]
    [InlineData("registry.example", "https://registry.example/v2/", true)]
    [InlineData("registry.example", "https://eu.registry.example/v2/", true)]
    [InlineData("registry.example", "https://notregistry.example/v2/", false)]
    [InlineData(".registry.example", "https://registry.example/v2/", false)]
    [InlineData(".registry.example", "https://eu.registry.example/v2/", true)]
    [InlineData("*.registry.example", "https://eu.registry.example/v2/", true)]
    [InlineData("registry.example:5000", "https://registry.example:5000/v2/", true)]
    [InlineData("registry.example:5000", "https://registry.example/v2/", false)]
    [InlineData("10.0.0.0/8", "https://10.20.30.40/v2/", true)]
    [InlineData("10.0.0.0/8", "https://11.0.0.1/v2/", false)]
    [InlineData("10.1.2.3", "https://10.1.2.3:5000/v2/", true)]
    [InlineData("10.1.2.3:443", "https://10.1.2.3:5000/v2/", false)]
    [InlineData("fd00::/8", "https://[fd00::5]/v2/", true)]
    [InlineData("[fd00::5]:443", "https://[fd00::5]/v2/", true)]
    [InlineData(" other.example , REGISTRY.example ", "https://registry.example/v2/", true)]
    [InlineData("*", "https://anything.example/v2/", true)]
    [InlineData(",,:80,", "https://registry.example/v2/", false)]
    public void No_proxy_names_hosts_domains_addresses_and_ranges(string noProxy, string url, bool direct) =>
        Assert.Equal(direct, Via(From(("HTTPS_PROXY", "http://p:3128"), ("NO_PROXY", noProxy))!, url) is null);

    [Fact]
    public void Under_cgi_http_proxy_is_not_trusted() =>
        Assert.Null(From(("HTTP_PROXY", "http://p:1"), ("REQUEST_METHOD", "GET")));

    [Fact]
    public void A_login_in_the_proxy_url_answers_the_proxy()
    {
        var proxy = From(("HTTPS_PROXY", "http://me:p%40ss@p:3128"))!;
        var login = proxy.Credentials!.GetCredential(new Uri("http://me:p%40ss@p:3128"), "Basic");
        Assert.Equal(("me", "p@ss"), (login!.UserName, login.Password));
    }

    [Theory]
    [InlineData("ftp://p:21")]
    [InlineData("http://")]
    [InlineData("http://p:99999")]
    public void A_value_that_is_not_a_proxy_is_refused_by_name(string value)
    {
        var e = Assert.Throws<FormatException>(() => From(("HTTPS_PROXY", value)));
        Assert.Contains("HTTPS_PROXY", e.Message);
    }
}
