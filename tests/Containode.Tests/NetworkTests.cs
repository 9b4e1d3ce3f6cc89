using System.Diagnostics;
using System.Text.Json;
using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>
/// Containers on a switch with a network (--subnet), the whole scenario inside namespaces the test makes: the
/// switch's host is a namespace (HostNetwork), linked to an outside namespace with its own HTTP and DNS servers.
/// </summary>
public sealed class NetworkTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    private const string Subnet = "10.88.0.0/16";

    private string[] Args(SwitchProcess sw, string id, params string[] rest) => ["-r", root.Path, "-t", root.NewTop(), "-i", id, "-s", sw.Socket, .. rest];

    private static string[] Shell(string line) => ["/bin/sh", "-c", line];

    private ChildProcess StartWeb(SwitchProcess sw, string id, params string[] options)
    {
        // --init: httpd as PID 1 would ignore the SIGTERM that stops it.
        var web = Containers.Start([.. Args(sw, id, options), "--init", "/bin/sh", "-c", "mkdir -p /www && echo hello from $HOSTNAME > /www/index.html && exec httpd -f -p 80 -h /www"]);
        Containers.WaitUntilRunning(web);
        return web;
    }

    private static JsonElement Query(SwitchProcess sw, string command) =>
        JsonDocument.Parse(Run.Command(Repo.Program("containet"), "-s", sw.Socket, command, "--json").EnsureSuccess().Stdout).RootElement;

    [RootFact]
    public void Containers_without_an_address_get_distinct_leases_and_ping_each_other_and_the_gateway()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet);
        var (a, b) = ("la" + Unique.Name(), "lb" + Unique.Name());
        using var first = Containers.Start([.. Args(sw, a), "--init", "/bin/sleep", "60"]);
        Containers.WaitUntilRunning(first);
        var r = Containers.Run([.. Args(sw, b), .. Shell("ip -o -4 addr show eth0; ip route; cat /etc/resolv.conf; ping -c 1 -W 2 10.88.0.1 && ping -c 1 -W 2 10.88.0.2")]);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("inet 10.88.0.3/16", r.Stdout);
        Assert.Contains("default via 10.88.0.1", r.Stdout);
        Assert.Contains("nameserver 10.88.0.1", r.Stdout);
        var ports = Query(sw, "ports").GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("nodeid").GetString()!, p => p.GetProperty("ipv4").GetString());
        Assert.Equal("10.88.0.2/16", ports[a]);
        Assert.Equal("10.88.0.1/16", ports["@host"]);
        // b's lease ended with its port, and its address is the next one's again.
        var leases = Query(sw, "leases").GetProperty("leases").EnumerateArray().Select(l => (l.GetProperty("nodeid").GetString(), l.GetProperty("ipv4").GetString())).ToList();
        Assert.Equal([(a, "10.88.0.2")], leases);
        var again = Containers.Run([.. Args(sw, "lc" + Unique.Name()), .. Shell("ip -o -4 addr show eth0")]);
        Assert.Contains("inet 10.88.0.3/16", again.Stdout);
    }

    [RootFact]
    public void Ps_and_inspect_show_the_lease_while_the_container_runs_and_an_address_asked_for_with_4()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet);
        var (leased, asked) = ("pl" + Unique.Name(), "pa" + Unique.Name());
        using var first = Containers.Start([.. Args(sw, leased), "--init", "/bin/sleep", "60"]);
        using var second = Containers.Start([.. Args(sw, asked, "-4", "10.88.7.7/16"), "--init", "/bin/sleep", "60"]);
        Containers.WaitUntilRunning(first);
        Containers.WaitUntilRunning(second);

        var table = Containers.Run("ps").Stdout.Split('\n');
        Assert.Matches(@"\s10\.88\.0\.2/16\s", table.Single(l => l.Contains(leased)));
        Assert.Matches(@"\s10\.88\.7\.7/16\s", table.Single(l => l.Contains(asked)));
        var listed = JsonDocument.Parse(Containers.Run("ps", "--json").Stdout).RootElement.EnumerateArray()
            // Other tests' containers run in the same state at once; one without an address has no "ipv4".
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.TryGetProperty("ipv4", out var ip) ? ip.GetString() : null);
        Assert.Equal("10.88.0.2/16", listed[leased]);
        var settings = NetworkSettings(leased);
        Assert.Equal("10.88.0.2", settings.GetProperty("ipAddress").GetString());
        Assert.Equal(16, settings.GetProperty("ipPrefixLen").GetInt32());
        Assert.Equal("10.88.0.1", settings.GetProperty("gateway").GetString());
        Assert.Equal("10.88.7.7", NetworkSettings(asked).GetProperty("ipAddress").GetString());

        first.Stop();
        // The lease ended with the container's port: an exited container has no address.
        Eventually.True(() => NetworkSettings(leased).GetProperty("ipAddress").GetString() == "", "the lease to go from inspect");
    }

    private static JsonElement NetworkSettings(string name)
    {
        var r = Containers.Run("inspect", name);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement[0].GetProperty("networkSettings");
    }

    [RootFact]
    public void With_nat_a_container_reaches_the_outside_which_sees_the_hosts_address_and_names_resolve_through_the_host()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet, "--nat");

        var r = Containers.Run([.. Args(sw, "n" + Unique.Name()), .. Shell($"timeout 5 wget -q -O - http://{HostNetwork.OutsideAddress}/cgi-bin/ip; nslookup {HostNetwork.OutsideName}")]);

        Assert.Contains(HostNetwork.HostAddress, r.Stdout); // masqueraded: the outside saw the host, not 10.88.0.2
        Assert.Contains(HostNetwork.OutsideNameAddress, r.Stdout); // the gateway asked the host's resolver
        Assert.Equal("on", Run.Command(Repo.Program("containet"), "network", "-s", sw.Socket).EnsureSuccess().Stdout.Split('\n').Single(l => l.StartsWith("nat:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [RootFact]
    public void Without_nat_the_outside_is_out_of_reach()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet);

        var r = Containers.Run([.. Args(sw, "x" + Unique.Name()), .. Shell($"ping -c 1 -W 2 10.88.0.1 && ! timeout 3 wget -q -O - http://{HostNetwork.OutsideAddress}/")]);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Empty(net.Host.Exec("nft", "list", "ruleset").Stdout.Trim());
        Assert.Contains("--nat", Containers.Run([.. Args(sw, "y" + Unique.Name(), "--publish", "8080:80"), "/bin/true"]).Stderr);
    }

    [RootFact]
    public void Containers_reach_each_other_by_name()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet);
        var web = "web" + Unique.Name();
        using var server = StartWeb(sw, web);
        var r = Containers.Run([.. Args(sw, "c" + Unique.Name()), .. Shell($"for i in 1 2 3 4 5 6 7 8 9 10; do timeout 2 wget -q -O - http://{web}/ && exit 0; sleep 0.3; done; exit 1")]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("hello from " + web, r.Stdout);
        Assert.Equal("10.88.0.2", net.Host.Exec("dig", "+short", "@10.88.0.1", web).Stdout.Trim());
        Assert.Contains("status: NOERROR", net.Host.Exec("dig", "@10.88.0.1", web, "AAAA").Stdout);
    }

    [RootFact]
    public void A_published_port_is_reachable_from_outside_and_the_host_and_gone_after_the_container()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet, "--nat");
        var web = "pub" + Unique.Name();
        using var server = StartWeb(sw, web, "--publish", "8080:80");
        var url = $"http://{HostNetwork.HostAddress}:8080/";
        Eventually.True(() => HostNetwork.Get(net.Outside, url)?.Contains(web) == true, "the published port from outside");
        Assert.Contains(web, HostNetwork.Get(net.Host, url));
        Assert.Contains(web, HostNetwork.Get(net.Host, "http://127.0.0.1:8080/"));
        Assert.Contains("8080/tcp", Run.Command(Repo.Program("containet"), "network", "-s", sw.Socket).EnsureSuccess().Stdout);

        var taken = Containers.Run([.. Args(sw, "t" + Unique.Name(), "--publish", "8080:80"), "/bin/true"]);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains($"host port 8080/tcp is already published by node {web}", taken.Stderr);
        var bad = Containers.Run([.. Args(sw, "u" + Unique.Name(), "--publish", "8080:80/sctp"), "/bin/true"]);
        Assert.Equal(2, bad.ExitCode);

        server.Stop();
        Eventually.True(() => !net.Host.Exec("nft", "list", "table", "ip", "containet-containet0").Stdout.Contains("dport 8080"), "the rule to go with the container");
        Assert.Null(HostNetwork.Get(net.Outside, url));
    }

    [RootFact]
    public void A_published_port_goes_when_its_monitor_is_killed()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet, "--nat");
        var web = "k" + Unique.Name();
        using var server = StartWeb(sw, web, "--publish", "9090:80/tcp");
        var url = $"http://{HostNetwork.HostAddress}:9090/";
        Eventually.True(() => HostNetwork.Get(net.Outside, url)?.Contains(web) == true, "the published port from outside");

        server.Kill(); // SIGKILL: containet-wait (containode's PID) runs no clean-up

        Eventually.True(() => !net.Host.Exec("nft", "list", "table", "ip", "containet-containet0").Stdout.Contains("dport 9090"), "the rule to go with the port");
        Assert.Null(HostNetwork.Get(net.Outside, url));
        Assert.Empty(Query(sw, "leases").GetProperty("leases").EnumerateArray());
        Eventually.True(() => !File.ReadAllText("/proc/mounts").Contains(ContainodeState.Run), "the container's mounts to go");
        Containers.RemoveLeftovers(web); // a SIGKILLed launcher cannot tidy its run dir: rm does
    }

    [RootFact]
    public void Leases_survive_a_switch_restart_and_a_taken_address_is_refused()
    {
        using var net = new HostNetwork();
        using var sw = net.Switch("--subnet", Subnet);
        var (a, b) = ("ra" + Unique.Name(), "rb" + Unique.Name());
        using var first = Containers.Start([.. Args(sw, a, "-4", "10.88.0.9"), "--init", "/bin/sleep", "60"]);
        Containers.WaitUntilRunning(first);
        var conflict = Containers.Run([.. Args(sw, b, "-4", "10.88.0.9"), "/bin/true"]);
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains($"10.88.0.9 is in use by node {a}", conflict.Stderr);
        var gateway = Containers.Run([.. Args(sw, b, "-4", "10.88.0.1/16"), "/bin/true"]);
        Assert.Contains("gateway", gateway.Stderr);

        sw.Kill();
        sw.Restart();
        sw.WaitForLog($"lease of node {a} (10.88.0.9) restored");
        Assert.Equal(1, Containers.Run([.. Args(sw, b, "-4", "10.88.0.9"), "/bin/true"]).ExitCode);

        first.Stop();
        // Its port did not come back (the old switch's pins died with its mount namespace): the lease ends with its launcher.
        Eventually.True(() => Query(sw, "leases").GetProperty("leases").GetArrayLength() == 0, "the lease to end with its launcher");
        var r = Containers.Run([.. Args(sw, b, "-4", "10.88.0.9"), .. Shell("ip -o -4 addr show eth0")]);
        Assert.Contains("inet 10.88.0.9/16", r.Stdout);
    }

    [RootFact]
    public void A_new_containode_passes_pings_on_a_switch_that_speaks_only_the_original_protocol()
    {
        using var original = new OriginalSwitch();
        // The longest identity containode takes, so its requests are as long as they get.
        var (a, b) = ("oa" + new string('x', 62 - Unique.Name().Length) + Unique.Name(), "ob" + Unique.Name());
        using var peer = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", a, "-s", original.Socket, "-4", "10.95.0.2/24", "--init", "/bin/sleep", "60");
        Containers.WaitUntilRunning(peer);
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", b, "-s", original.Socket, "-4", "10.95.0.3/24", "/bin/sh", "-c", "ip -o link show eth0; ping -c 3 -W 2 10.95.0.2");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("3 packets received", r.Stdout);
        Assert.Contains("mtu 64000", r.Stdout);
        Assert.InRange(original.LongestRequest, 1, 254);

        var longToken = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-s", original.Socket, "-a", new string('t', 300), "-4", "10.95.0.4/24", "/bin/true");
        Assert.Equal(1, longToken.ExitCode);
        Assert.Contains("original protocol", longToken.Stderr);
        Assert.InRange(original.LongestRequest, 1, 254);
    }
}
