using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>A switch killed with SIGKILL and started again gets its take-netns ports back.</summary>
public sealed class RestartTests
{
    private static InterfaceConfig Config(string cidr) => new(Addressing.RandomMac(), Addressing.ParseCidr(cidr));

    private static RunResult Ping(SafeFd ns, string to) =>
        Run.Command("nsenter", [$"--net=/proc/{Environment.ProcessId}/fd/{ns.Number}", "ping", "-c", "1", "-W", "1", to], TimeSpan.FromSeconds(10));

    [RootFact]
    public void After_kill_9_a_restarted_switch_plugs_the_taken_namespaces_in_again()
    {
        using var sw = new SwitchProcess();
        using var attached = Hosts.Quiet();
        sw.Attach(attached, "10.76.0.9/24");
        var (n1, n2) = ("r1" + Unique.Name(), "r2" + Unique.Name());
        using var launcher1 = SwitchClient.Connect(sw.Socket);
        using var launcher2 = SwitchClient.Connect(sw.Socket);
        using var ns1 = launcher1.TakeNetns("t1", "eth0", n1, Config("10.76.0.1/24")).Namespace;
        using var ns2 = launcher2.TakeNetns("t2", "eth0", n2, Config("10.76.0.2/24")).Namespace;
        Ping(ns1, "10.76.0.2").EnsureSuccess();

        sw.Kill();
        Assert.NotEqual(0, Ping(ns1, "10.76.0.2").ExitCode);
        sw.Restart();

        Eventually.True(() => Ping(ns1, "10.76.0.2").ExitCode == 0, "the taken namespaces to ping again");
        sw.WaitForLog($"port {n1}/eth0 restored");
        sw.WaitForLog($"port {attached.Name}/eth0 cannot come back");
        // The tokens came back too.
        using var admin = SwitchClient.Connect(sw.Socket);
        Assert.Throws<SwitchException>(() => admin.RemoveEtherFd("t1", n2));
        admin.RemoveEtherFd("t2", n2);
        Assert.False(File.Exists(Path.Combine(sw.StateDir, "netns", n2)), "a removed port's pin goes with it");
        Assert.True(File.Exists(Path.Combine(sw.StateDir, "netns", n1)));

        // A clean stop ends the ports and leaves nothing to restore.
        Assert.Equal(0, sw.Stop());
        Assert.Empty(Directory.GetFiles(Path.Combine(sw.StateDir, "netns")));
        Assert.False(File.Exists(Path.Combine(sw.StateDir, "containet.state")));
    }

    [RootFact]
    public void A_restarted_switch_removes_pins_no_port_needs()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var stray = new NetNs();
        // What a switch that died between pinning a namespace and recording it leaves behind.
        var pin = Path.Combine(sw.StateDir, "netns", "stray");
        File.WriteAllText(pin, "");
        Run.Command("mount", "--bind", NetNamespace.PathOf(stray.Name), pin).EnsureSuccess();

        sw.Kill();
        sw.Restart();

        sw.WaitForLog("removed the stale pin of node stray");
        Assert.False(File.Exists(pin));
        Assert.DoesNotContain(" " + pin + " ", File.ReadAllText("/proc/self/mountinfo"));
    }

    [RootFact]
    public void Two_switches_cannot_share_a_state_directory()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        var second = Run.Command(Repo.Program("containet"), "-s", sw.Dir.Combine("second.sock"), "--state-dir", sw.StateDir, "--netns-pool", "0");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("--state-dir", second.Stderr);
    }
}
