using Containet.TestSupport;

namespace Containet.Tests;

/// <summary>Namespaces for switch tests; IPv6 is off so that no autoconfiguration multicast muddies the counters.</summary>
internal static class Hosts
{
    public static NetNs Quiet()
    {
        var ns = new NetNs("ctn");
        ns.Exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").EnsureSuccess();
        ns.Exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
        return ns;
    }

    /// <summary>
    /// Pings until every reply is in, or 20 s pass (-w): without a deadline ping stops waiting two round trips
    /// after its last request, and on a loaded host a late reply is then counted as lost.
    /// </summary>
    public static RunResult Ping(NetNs from, string to, int count = 3, string interval = "0.1") =>
        from.Exec(TimeSpan.FromSeconds(30), "ping", "-c", count.ToString(), "-i", interval, "-w", "20", to);
}

/// <summary>An iperf3 server daemon in a namespace for one test, killed by its PID on Dispose.</summary>
internal sealed class IperfServer : IDisposable
{
    private readonly TempDir dir = new("containet-iperf");
    private readonly string pidFile;

    public IperfServer(NetNs ns, string bind)
    {
        pidFile = dir.Combine("iperf3.pid");
        ns.Exec("iperf3", "-s", "-D", "-1", "--bind", bind, "--pidfile", pidFile).EnsureSuccess();
        Eventually.True(() => ns.Exec("ss", "-ltn").Stdout.Contains(bind + ":5201"), "iperf3 to listen on " + bind);
    }

    public void Dispose()
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try { Containet.Native.Posix.Kill(pid, Containet.Native.Signal.Kill); }
            catch (Containet.Native.NativeException) { }
        }
        dir.Dispose();
    }
}
