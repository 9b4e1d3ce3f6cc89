using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>What a newcomer types wrong: one line that names the mistake, and exit 2 for bad usage.</summary>
public sealed class CliMistakeTests
{
    // No switch listens on this path: a value checked up front exits 2 before the socket is ever tried (exit 1).
    private const string Nowhere = "/nonexistent/containet.sock";

    [Theory]
    [InlineData("--ip", "10.77.0.300/24", "not an IP address")]
    [InlineData("--ip", "10.77.0.1/33", "bad prefix length")]
    [InlineData("--ip", "fd00::1/129", "bad prefix length")]
    [InlineData("--mac", "zz:zz", "not a MAC address")]
    [InlineData("--mac", "01:00:5e:00:00:01", "multicast")]
    [InlineData("--gateway", "10.77.0", "not an IP address")]
    [InlineData("--mtu", "67", "from 68 to 65521")]
    [InlineData("--mtu", "65522", "from 68 to 65521")]
    [InlineData("--ifname", "a-very-long-name0", "17 characters long")]
    [InlineData("--ifname", "eth/0", "not an interface name")]
    public void Attach_rejects_a_bad_value_in_one_line_with_exit_2(string option, string value, string says)
    {
        string[] ip = option == "--ip" ? [] : ["--ip", "10.77.0.1/24"];
        string[] args = ["attach", "-s", Nowhere, "--netns", "x", .. ip, option, value];
        var r = Run.Command(Repo.Program("containet"), args);

        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.Contains(option + ": ", r.Stderr);
        Assert.Contains(says, r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_socket_path_that_is_a_file_is_called_not_a_socket()
    {
        var r = Run.Command(Repo.Program("containet"), "ports", "-s", "/etc/passwd");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/etc/passwd is not a socket", r.Stderr);
        Assert.DoesNotContain("start one", r.Stderr);
    }
}
