using System.Globalization;
using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>--timens, and the namespaces a container may share with the host (--pid, --uts, --cgroupns host).</summary>
public sealed class NamespaceSelectionTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    [RootTheory]
    [InlineData("--timens")]
    [InlineData("--timens --init")]
    [InlineData("--timens --userns private")]
    public void A_time_namespace_starts_the_uptime_near_zero(string options)
    {
        var r = Containers.Run([.. options.Split(' '), "-r", root.Path, "-t", root.NewTop(), "/bin/cat", "/proc/uptime"]);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.True(Uptime(r.Stdout) < 5, r.Stdout);
        // The host has been up longer than that, or the test could not tell a time namespace from none.
        Assert.True(Uptime(File.ReadAllText("/proc/uptime")) > 5);
    }

    [RootFact]
    public void Without_a_time_namespace_the_uptime_is_the_hosts()
    {
        var host = Uptime(File.ReadAllText("/proc/uptime"));
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/cat", "/proc/uptime");
        Assert.True(Uptime(r.Stdout) >= host, r.Stdout);
    }

    [RootFact]
    public void Uts_host_keeps_the_hosts_hostname_and_leaves_it_alone()
    {
        var before = Run.Command("hostname").Stdout.Trim();
        var shared = Containers.Run("--uts", "host", "-i", "other" + Unique.Name(), "-r", root.Path, "-t", root.NewTop(), "/bin/hostname");
        var own = Containers.Run("--uts", "private", "-i", "own" + Unique.Name(), "-r", root.Path, "-t", root.NewTop(), "/bin/hostname");

        Assert.Equal(before, shared.Stdout.Trim());
        Assert.StartsWith("own", own.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Equal(before, Run.Command("hostname").Stdout.Trim());
    }

    [RootFact]
    public void Pid_host_sees_the_hosts_processes()
    {
        var shared = Containers.Run("--pid", "host", "-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c", "test -d /proc/" + Environment.ProcessId + " && echo sees-test");
        var own = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c", "echo $$");

        Assert.Contains("sees-test", shared.Stdout);
        Assert.Equal("1", own.Stdout.Trim());
    }

    [RootFact]
    public void Cgroupns_host_shows_the_full_cgroup_path()
    {
        var id = "cg" + Unique.Name();
        var shared = Containers.Run("--cgroupns", "host", "-i", id, "-r", root.Path, "-t", root.NewTop(), "/bin/cat", "/proc/self/cgroup");
        var own = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/cat", "/proc/self/cgroup");

        Assert.Contains("/containet/" + id, shared.Stdout);
        Assert.Contains("0::/\n", own.Stdout);
    }

    [RootTheory]
    [InlineData("--net", "shared")]
    [InlineData("--ipc", "")]
    [InlineData("--uts", "HOST")]
    public void A_bad_namespace_value_is_bad_usage(string option, string value)
    {
        var r = Containers.Run(option, value, "-r", root.Path, "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("host or private", r.Stderr);
    }

    private static double Uptime(string text) => double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
}
