using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>
/// A user in a switch's --group plugs rootless containers into it (-s): the container's network namespace, which its
/// user namespace owns, goes to the switch (add-netns), and the switch makes eth0 inside.
/// </summary>
public sealed class RootlessNetworkTests : IDisposable
{
    private readonly UnprivilegedUser user = new();

    [RootFact]
    public void Two_rootless_containers_ping_each_other_through_a_switch_of_the_users_group()
    {
        using var sw = new SwitchProcess("--group", user.Name);
        var server = "rs" + Unique.Name();
        var started = user.Containode("run", "-d", "--name", server, "-r", user.RootPath, "-s", sw.Socket, "-4", "10.96.0.3/24", "--init", "/bin/sleep", "60");
        try
        {
            Assert.True(started.ExitCode == 0, started.Stdout + started.Stderr);
            Assert.Contains(server, sw.Nodes());

            var ping = user.Containode("-r", user.RootPath, "-s", sw.Socket, "-4", "10.96.0.2/24", "/bin/ping", "-c", "3", "-W", "2", "10.96.0.3");

            Assert.True(ping.ExitCode == 0, ping.Stdout + ping.Stderr);
            Assert.Contains("3 packets received", ping.Stdout);
        }
        finally
        {
            user.Containode("rm", "-f", server);
        }
        Eventually.True(() => sw.Nodes().Length == 0, "every port gone");
        Assert.Empty(user.LeftRunDirectories());
        Assert.DoesNotContain("rejected", sw.Log);
    }

    [RootFact]
    public void A_rootless_container_gets_a_lease_route_and_nameserver_from_a_switch_with_a_network()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", "10.88.0.0/16", "--group", user.Name);

        var r = user.Containode("-r", user.RootPath, "-s", sw.Socket, "/bin/sh", "-c",
            "ip -o -4 addr show eth0; ip route; cat /etc/resolv.conf; ping -c 1 -W 2 10.88.0.1");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("inet 10.88.0.2/16", r.Stdout);
        Assert.Contains("default via 10.88.0.1", r.Stdout);
        Assert.Contains("nameserver 10.88.0.1", r.Stdout);
        Eventually.True(() => sw.Nodes().All(n => n == "@host"), "the container's port gone");
    }

    [RootFact]
    public void A_switch_the_user_may_not_use_is_refused_with_the_reason()
    {
        using var sw = new SwitchProcess();

        var r = user.Containode("-r", user.RootPath, "-s", sw.Socket, "/bin/true");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ermission denied", r.Stderr);
        Assert.Empty(user.LeftRunDirectories());
    }

    public void Dispose() => user.Dispose();
}
