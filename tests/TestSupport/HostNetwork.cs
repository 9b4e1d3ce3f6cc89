using System.Diagnostics;
using Containet.Native;

namespace Containet.TestSupport;

/// <summary>
/// "The host" and "the outside" as network namespaces of the test's own, so that nothing touches the machine's
/// routes, firewall or resolver: the host (where the switch runs, with `ip netns exec`) has 198.51.100.2 on a veth
/// to the outside, which has 198.51.100.1 and serves HTTP there (busybox httpd, whose /cgi-bin/ip prints the
/// client address it saw) and DNS (dnsmasq: outside.test is 198.51.100.80). The host's resolv.conf, as `ip
/// netns exec` binds it in from /etc/netns/HOST, names the outside's DNS server. All of it goes on Dispose.
/// </summary>
public sealed class HostNetwork : IDisposable
{
    public const string HostAddress = "198.51.100.2";
    public const string OutsideAddress = "198.51.100.1";
    public const string OutsideName = "outside.test";
    public const string OutsideNameAddress = "198.51.100.80";

    private readonly List<ChildProcess> servers = [];
    private readonly TempDir www = new("containet-www");
    private readonly TempDir networks = new("containet-networks");

    public NetNs Host { get; }
    public NetNs Outside { get; }
    private string ResolvDir => "/etc/netns/" + Host.Name;

    public HostNetwork()
    {
        Host = new NetNs("host");
        Outside = new NetNs("out");
        try
        {
            var veth = "v" + Unique.Name();
            Run.Command("ip", "link", "add", veth + "h", "netns", Host.Name, "type", "veth", "peer", "name", veth + "o", "netns", Outside.Name).EnsureSuccess();
            Host.Exec("ip", "addr", "add", HostAddress + "/24", "dev", veth + "h").EnsureSuccess();
            Host.Exec("ip", "link", "set", veth + "h", "up").EnsureSuccess();
            Outside.Exec("ip", "addr", "add", OutsideAddress + "/24", "dev", veth + "o").EnsureSuccess();
            Outside.Exec("ip", "link", "set", veth + "o", "up").EnsureSuccess();
            Directory.CreateDirectory(ResolvDir);
            File.WriteAllText(Path.Combine(ResolvDir, "resolv.conf"), $"nameserver {OutsideAddress}\n");
            Directory.CreateDirectory(www.Combine("cgi-bin"));
            File.WriteAllText(www.Combine("index.html"), "the outside\n");
            File.WriteAllText(www.Combine("cgi-bin", "ip"), "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
            File.SetUnixFileMode(www.Combine("cgi-bin", "ip"), (UnixFileMode)Mode.O755);
            Serve(Outside, "busybox", "httpd", "-f", "-p", OutsideAddress + ":80", "-h", www.Path);
            Serve(Outside, "dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + OutsideAddress,
                $"--address=/{OutsideName}/{OutsideNameAddress}");
            Eventually.True(() => Outside.Exec("ss", "-Hltn", "sport", "= :80").Stdout.Length > 0 && Outside.Exec("ss", "-Hlun", "sport", "= :53").Stdout.Length > 0,
                "the outside's HTTP and DNS servers to listen");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void Serve(NetNs ns, params string[] command) => servers.Add(ChildProcess.Start("ip", ["netns", "exec", ns.Name, .. command], collect: true));

    /// <summary>A switch whose host is this network's host namespace, its leases in a folder of this network's.</summary>
    public SwitchProcess Switch(params string[] args) => SwitchProcess.InNetns(Host.Name, ["--network-dir", networks.Path, .. args]);

    /// <summary>An HTTP GET with curl from a namespace; the body, or null if it failed.</summary>
    public static string? Get(NetNs from, string url)
    {
        var r = from.Exec(TimeSpan.FromSeconds(20), "curl", "-sS", "-m", "3", url);
        return r.ExitCode == 0 ? r.Stdout : null;
    }

    public void Dispose()
    {
        foreach (var p in servers) p.Dispose();
        try { Directory.Delete(ResolvDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
        try { Directory.Delete("/etc/netns"); }
        catch (IOException) { } // another test's namespace still has its folder there
        Outside?.Dispose();
        Host?.Dispose();
        www.Dispose();
        networks.Dispose();
    }
}
