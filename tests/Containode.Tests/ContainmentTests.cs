using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>A default container contains: the escape checklist fails, and the process starts with Docker's limits.</summary>
public sealed class ContainmentTests(BusyboxRoot root, EscapeProbe probe) : IClassFixture<BusyboxRoot>, IClassFixture<EscapeProbe>
{
    private const string DockerCapabilities = "00000000a80425fb";

    [RootFact]
    public void Every_escape_attempt_fails_in_a_default_container()
    {
        var before = DateTimeOffset.UtcNow;
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", probe.Directory + ":/probe:ro", "/probe/escape");
        var after = DateTimeOffset.UtcNow;

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var check in EscapeProbe.Checks)
            Assert.Contains(lines, l => l.StartsWith(check + " blocked ", StringComparison.Ordinal));
        Assert.DoesNotContain("ESCAPED", r.Stdout);
        Assert.Contains("unshare-user blocked EPERM", lines);
        Assert.Contains("keyctl blocked EPERM", lines);
        Assert.Contains("open-by-handle blocked EPERM", lines);
        Assert.True(after - before < TimeSpan.FromMinutes(1), "the host clock moved");
    }

    [RootFact]
    public void A_default_container_has_dockers_capabilities_no_new_privs_and_a_filter()
    {
        var status = Status();

        Assert.Equal(DockerCapabilities, status["CapEff"]);
        Assert.Equal(DockerCapabilities, status["CapPrm"]);
        Assert.Equal(DockerCapabilities, status["CapBnd"]);
        Assert.Equal("0000000000000000", status["CapAmb"]);
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal("2", status["Seccomp"]);
    }

    [RootFact]
    public void Privileged_restores_every_capability_and_no_filter()
    {
        var status = Status("--privileged");
        var last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        // Every capability the kernel knows that the launcher (this test's child) holds to give.
        var bounding = Convert.ToUInt64(File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:")).Split('\t')[1], 16);

        Assert.Equal((((1UL << (last + 1)) - 1) & bounding).ToString("x16"), status["CapEff"]);
        Assert.Equal("0", status["Seccomp"]);
    }

    [RootFact]
    public void Cap_drop_all_leaves_none() => Assert.Equal("0000000000000000", Status("--cap-drop", "ALL")["CapEff"]);

    [RootFact]
    public void Cap_add_and_drop_change_the_default_set()
    {
        var caps = Convert.ToUInt64(Status("--cap-add", "SYS_TIME", "--cap-drop", "NET_RAW")["CapEff"], 16);
        Assert.NotEqual(0UL, caps & (1UL << 25));
        Assert.Equal(0UL, caps & (1UL << 13));
    }

    [RootFact]
    public void Seccomp_unconfined_loads_no_filter() => Assert.Equal("0", Status("--security-opt", "seccomp=unconfined")["Seccomp"]);

    [RootFact]
    public void No_new_privileges_false_leaves_the_flag_off_and_the_filter_on()
    {
        var status = Status("--security-opt", "no-new-privileges=false");
        Assert.Equal("0", status["NoNewPrivs"]);
        Assert.Equal("2", status["Seccomp"]);
    }

    [RootFact]
    public void A_custom_profile_that_blocks_mkdir_makes_mkdir_fail_with_eperm()
    {
        using var dir = new TempDir("containode-seccomp");
        File.WriteAllText(dir.Combine("p.json"), """
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """);
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--security-opt", "seccomp=" + dir.Combine("p.json"),
            "/bin/sh", "-c", "mkdir /tmp/x; echo status $?; touch /tmp/y && echo touched");

        Assert.Contains("Operation not permitted", r.Stderr);
        Assert.Contains("status 1", r.Stdout);
        Assert.Contains("touched", r.Stdout);
    }

    [RootFact]
    public void The_containers_common_profile_runs_busybox()
    {
        const string profile = "/usr/share/containers/seccomp.json";
        Assert.True(File.Exists(profile), "scripts/install-deps.sh installs golang-github-containers-common");
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--security-opt", "seccomp=" + profile,
            "/bin/sh", "-c", "ls / >/dev/null && grep Seccomp: /proc/self/status && unshare -n true || echo unshare refused");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Seccomp:\t2", r.Stdout);
        Assert.Contains("unshare refused", r.Stdout);
    }

    [RootFact]
    public void A_bad_profile_is_an_error_that_names_it()
    {
        using var dir = new TempDir("containode-seccomp");
        File.WriteAllText(dir.Combine("bad.json"), "{ not json");
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--security-opt", "seccomp=" + dir.Combine("bad.json"), "/bin/true");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.json", r.Stderr);
    }

    [RootFact]
    public void Init_runs_under_the_same_filter()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--init", "/bin/sh", "-c", "grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/1/status");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("CapEff:\t" + DockerCapabilities, r.Stdout);
        Assert.Contains("Seccomp:\t2", r.Stdout);
    }

    [RootFact]
    public void Masked_and_read_only_kernel_files()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--cap-add", "SYS_ADMIN", "/bin/sh", "-c",
            "cat /proc/kcore 2>/dev/null | wc -c; ls /sys/firmware | wc -l; echo 1 > /proc/sys/vm/swappiness && echo wrote-sys; " +
            "grep -E ' /(proc/sys|sys|proc/kcore) ' /proc/mounts");

        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0].Trim());
        Assert.Equal("0", lines[1].Trim());
        Assert.DoesNotContain("wrote-sys", r.Stdout);
        Assert.Contains(lines, l => l.Contains(" /proc/sys ") && l.Contains(" ro,"));
        Assert.Contains(lines, l => l.StartsWith("sysfs /sys sysfs ro,", StringComparison.Ordinal));
    }

    [RootFact]
    public void Sys_shows_the_containers_own_network()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/ls", "/sys/class/net");
        Assert.Equal("lo", r.Stdout.Trim());
    }

    [RootFact]
    public void Busybox_runs_its_everyday_applets_under_the_defaults()
    {
        using var sw = new SwitchProcess();
        var server = "www" + Unique.Name();
        using var httpd = Containers.Start("-r", root.Path, "-t", root.NewTop(), "-i", server, "-s", sw.Socket, "-4", "10.94.0.3/24", "--init", "/bin/sh", "-c",
            "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www");
        Containers.WaitUntilRunning(httpd);
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-s", sw.Socket, "-4", "10.94.0.2/24", "/bin/sh", "-c",
            "set -e; ls / >/dev/null; ps >/dev/null; ping -c 1 -W 2 127.0.0.1 >/dev/null; echo x > /tmp/f; chown nobody /tmp/f; " +
            "ls -ln /tmp/f; for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://10.94.0.3:8080/ && break; sleep 0.3; done");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains(" 65534 ", r.Stdout);
        Assert.Contains("served", r.Stdout);

        httpd.Signal(Containet.Native.Signal.Term);
        Assert.True(httpd.WaitForExit(10_000), "the server container did not stop");
        Containers.AssertNothingLeft(server);
    }

    [RootFact]
    public void A_node_the_container_makes_cannot_be_opened_even_with_cap_mknod()
    {
        // /dev/net/tun needs no capability to open: only the device cgroup stands in the way.
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c",
            "mknod /dev/tun c 10 200 && echo made; if ( : < /dev/tun ) 2>/dev/null; then echo tun-opened; else echo tun-refused; fi");

        Assert.Contains("made", r.Stdout);
        Assert.Contains("tun-refused", r.Stdout);
    }

    [RootFact]
    public void A_device_given_with_device_opens_with_the_access_given()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--device", "/dev/net/tun:/dev/tun0:r", "/bin/sh", "-c",
            "( : < /dev/tun0 ) && echo tun-read; ( : > /dev/tun0 ) 2>/dev/null || echo tun-write-refused");

        Assert.Contains("tun-read", r.Stdout);
        Assert.Contains("tun-write-refused", r.Stdout);
    }

    [RootTheory]
    [InlineData("/dev/net/tun:rwx")]
    [InlineData("/dev/net/tun:/etc/tun")]
    [InlineData("relative")]
    public void A_bad_device_is_bad_usage(string spec)
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--device", spec, "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad device", r.Stderr);
    }

    [RootFact]
    public void A_device_that_is_no_device_is_an_error()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--device", "/etc/passwd:/dev/passwd", "/bin/true");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a device node", r.Stderr);
    }

    private Dictionary<string, string> Status(params string[] options)
    {
        var r = Containers.Run(["-r", root.Path, "-t", root.NewTop(), .. options, "/bin/cat", "/proc/self/status"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim());
    }
}
