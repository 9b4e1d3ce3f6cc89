using Containet.Protocol;
using Xunit;

namespace Containode.Tests;

public sealed class PublishedPortTests
{
    [Theory]
    [InlineData("8080:80", null, 8080, 80, "tcp")]
    [InlineData("53:5353/udp", null, 53, 5353, "udp")]
    [InlineData("198.51.100.2:8080:80/tcp", "198.51.100.2", 8080, 80, "tcp")]
    public void Docker_forms_are_taken(string text, string? host, int hostPort, int port, string protocol) =>
        Assert.Equal(new PortMapping(host is null ? null : System.Net.IPAddress.Parse(host), hostPort, port, protocol), PublishedPort.Parse(text));

    [Theory]
    [InlineData("80")]
    [InlineData("8080:80/sctp")]
    [InlineData("0:80")]
    [InlineData("8080:65536")]
    [InlineData("8080:-1")]
    [InlineData("a:b")]
    [InlineData("1.2.3:8080:80")]
    [InlineData("::1:8080:80")]
    [InlineData("1:2:3:4")]
    [InlineData("8080:80/")]
    public void Anything_else_is_bad_usage(string text) =>
        Assert.Contains("bad --publish", Assert.Throws<UsageException>(() => PublishedPort.Parse(text)).Message);

    [Fact]
    public void The_option_repeats_and_run_spells_it_p()
    {
        var parsed = Containode.Cli.ArgParser.Parse(["-p", "8080:80", "--publish=53:53/udp", "img"], 0, Containode.Cli.SpecForms.Run, stopAtOperand: true);
        var spec = Containode.Cli.SpecForms.Spec(parsed);
        Assert.Equal(2, spec.Publish.Count);
        Assert.Equal(["8080:80", "53:53/udp"], SpecOptions.Lines(spec).Where(l => l.StartsWith("publish=", StringComparison.Ordinal)).Select(l => l[8..]));
    }
}

public sealed class ResolvConfTests
{
    private const string Host = "# written by someone\nnameserver 127.0.0.53\nnameserver 198.51.100.53\nsearch example.com\noptions edns0\n";

    [Fact]
    public void A_switch_with_a_network_is_the_nameserver() =>
        Assert.Equal("nameserver 10.88.0.1\n", ResolvConf.For(System.Net.IPAddress.Parse("10.88.0.1"), hostNetwork: false, Host));

    [Fact]
    public void Otherwise_the_hosts_servers_without_its_loopback_stub() =>
        Assert.Equal("nameserver 198.51.100.53\nsearch example.com\noptions edns0\n", ResolvConf.For(null, hostNetwork: false, Host));

    [Fact]
    public void On_the_hosts_network_the_hosts_file_serves_as_it_is() =>
        Assert.Equal(Host, ResolvConf.For(null, hostNetwork: true, Host));
}
