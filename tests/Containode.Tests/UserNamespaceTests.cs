using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Containode.Tests;

/// <summary>--userns private: root inside is an unprivileged uid outside, and the secure defaults still hold.</summary>
public sealed class UserNamespaceTests(BusyboxRoot root, EscapeProbe probe) : IClassFixture<BusyboxRoot>, IClassFixture<EscapeProbe>
{
    private const string HostRoot = "1000000000";

    [RootFact]
    public void Root_inside_is_the_mapped_uid_outside()
    {
        var top = root.NewTop();
        var id = "uns" + Unique.Name();
        var r = Containers.Run("--userns", "private", "-r", root.Path, "-t", top, "-i", id, "/bin/sh", "-c",
            "id -u; id -g; cat /proc/self/uid_map; echo made > /made; echo extra >> /etc/passwd && echo wrote-passwd");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0]);
        Assert.Equal("0", lines[1]);
        Assert.Equal(["0", HostRoot, "65536"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("wrote-passwd", r.Stdout);
        Assert.Equal(HostRoot, Owner(Path.Combine(top, "root", "made")));
        // The image's root-owned /etc/passwd, copied up by the container's root, is its root's on the host too.
        Assert.Equal(HostRoot, Owner(Path.Combine(top, "root", "etc", "passwd")));
        Assert.Equal("0", Owner(Path.Combine(root.Path, "etc", "passwd")));
        Assert.DoesNotContain("extra", File.ReadAllText(Path.Combine(root.Path, "etc", "passwd")));
        Containers.AssertNothingLeft(id);
    }

    /// <summary>
    /// State under a folder only the host's root may enter, as bench/containode.sh keeps it (mktemp -d, 0700): the
    /// container's root cannot walk that folder, yet its root, TOP and /etc files are made below it, run after run.
    /// </summary>
    [RootFact]
    public void Runs_again_and_again_when_the_state_sits_below_a_folder_closed_to_the_containers_root()
    {
        using var closed = new TempDir("containode-closed");
        File.SetUnixFileMode(closed.Path, (UnixFileMode)Mode.O700);
        var env = new Dictionary<string, string> { ["CONTAINET_RUN_DIR"] = closed.Combine("run"), ["CONTAINET_LIB_DIR"] = closed.Combine("lib") };
        var top = closed.Combine("top");
        var id = "unsclosed" + Unique.Name();

        for (var i = 0; i < 2; i++)
        {
            var r = Run.Command(Repo.Program("containode"), ["--userns", "private", "-r", root.Path, "-t", top, "-i", id, "/bin/sh", "-c",
                "cat /etc/hostname; echo run >> /runs; wc -l < /runs"], TimeSpan.FromSeconds(60), env: env);
            Assert.True(r.ExitCode == 0, $"run {i + 1}: {r.Stdout}{r.Stderr}");
            Assert.Equal([id, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        }
        Assert.Equal(HostRoot, Owner(Path.Combine(top, "root", "runs")));
        Assert.Empty(Directory.GetDirectories(closed.Combine("run", "containers")));
        Assert.DoesNotContain(closed.Path, File.ReadAllText("/proc/mounts"));
        Assert.Equal(0, Run.Command(Repo.Program("containode"), ["rm", id], env: env).ExitCode);
    }

    [RootFact]
    public void The_images_files_keep_their_owners_through_the_idmapped_mount()
    {
        var r = Containers.Run("--userns", "private", "-r", root.Path, "-t", root.NewTop(), "/bin/stat", "-c", "%u:%g", "/bin/busybox", "/etc");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal("0:0\n0:0", r.Stdout.Trim());
        Assert.DoesNotContain("no idmapped mount", r.Stderr);
    }

    [RootFact]
    public void The_hosts_root_owned_files_are_not_writable_from_inside()
    {
        using var host = new TempDir("containode-hostfiles");
        File.WriteAllText(host.Combine("file"), "host\n");
        var script = "echo changed > /host/file && echo wrote-file; touch /host/new && echo made-new; " +
            "echo x > /proc/sys/kernel/hostname && echo wrote-proc";

        var confined = Containers.Run("--userns", "private", "-r", root.Path, "-t", root.NewTop(), "-v", host.Path + ":/host", "/bin/sh", "-c", script);
        var plain = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", host.Path + ":/host", "/bin/sh", "-c", "echo changed > /host/file && echo wrote-file");

        Assert.DoesNotContain("wrote-file", confined.Stdout);
        Assert.DoesNotContain("made-new", confined.Stdout);
        Assert.DoesNotContain("wrote-proc", confined.Stdout);
        Assert.Contains("Permission denied", confined.Stderr);
        Assert.False(File.Exists(host.Combine("new")));
        // The same write as the host's own root goes through: the refusal above is the user namespace's.
        Assert.Contains("wrote-file", plain.Stdout);
    }

    [RootFact]
    public void Every_escape_attempt_fails_in_a_user_namespace()
    {
        var r = Containers.Run("--userns", "private", "-r", root.Path, "-t", root.NewTop(), "-v", probe.Directory + ":/probe:ro", "/probe/escape");

        EscapeProbe.AssertEveryAttemptBlocked(r);
    }

    [RootFact]
    public void The_default_capabilities_and_filter_apply_inside()
    {
        var r = Containers.Run("--userns", "private", "-r", root.Path, "-t", root.NewTop(), "/bin/grep", "-E", "^(CapEff|NoNewPrivs|Seccomp):", "/proc/self/status");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("CapEff:\t00000000a80425fb", r.Stdout);
        Assert.Contains("NoNewPrivs:\t1", r.Stdout);
        Assert.Contains("Seccomp:\t2", r.Stdout);
    }

    [RootFact]
    public void Device_nodes_are_the_hosts_bound_and_work()
    {
        var r = Containers.Run("--userns", "private", "-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c",
            "echo gone > /dev/null && head -c 4 /dev/zero | wc -c && grep -c ' /dev/null ' /proc/mounts");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal(["4", "1"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
    }

    [RootFact]
    public void With_a_switch_sys_shows_the_containers_own_network_and_eth0_stays_the_launchers()
    {
        using var sw = new SwitchProcess();
        var r = Containers.Run("--userns", "private", "-s", sw.Socket, "-4", "10.95.0.2/24", "-r", root.Path, "-t", root.NewTop(), "/bin/sh", "-c",
            "echo $(ls /sys/class/net); ip addr show eth0 | grep -c 10.95.0.2; ip link set eth0 down && echo took-eth0-down; true");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("eth0 lo", lines[0].Trim());
        Assert.Equal("1", lines[1].Trim());
        // The namespace is the host root's: the container's root may use eth0, not reconfigure it.
        Assert.DoesNotContain("took-eth0-down", r.Stdout);
    }

    [RootFact]
    public void Uidmap_and_gidmap_set_the_maps()
    {
        var top = root.NewTop();
        var r = Containers.Run("--uidmap", "0:1000100000:1000", "--gidmap", "0:1000200000:1000", "-r", root.Path, "-t", top, "/bin/sh", "-c",
            "cat /proc/self/uid_map /proc/self/gid_map; touch /made");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        Assert.Equal(["0 1000100000 1000", "0 1000200000 1000"], lines);
        Assert.Equal("1000100000:1000200000", Run.Command("stat", "-c", "%u:%g", Path.Combine(top, "root", "made")).Stdout.Trim());
    }

    [RootTheory]
    [InlineData("--uidmap", "1:1000000000:10", "must map the container's id 0")]
    [InlineData("--uidmap", "0:1000000000", "expected CONTAINER:HOST:SIZE")]
    [InlineData("--uidmap", "0:-1:10", "expected CONTAINER:HOST:SIZE")]
    [InlineData("--uidmap", "0:4294967290:10", "passes the largest id")]
    [InlineData("--gidmap", "0:1000000000:0", "SIZE must be at least 1")]
    [InlineData("--userns", "maybe", "private or host")]
    [InlineData("--pid", "host", "--pid host cannot go with --userns private")]
    public void A_bad_mapping_is_bad_usage(string option, string value, string message)
    {
        var r = Containers.Run("--userns", "private", option, value, "-C", "-r", root.Path, "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [RootFact]
    public void Overlapping_ranges_are_refused()
    {
        var r = Containers.Run("--uidmap", "0:1000000000:100", "--uidmap", "50:1000500000:100", "-C", "-r", root.Path, "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("overlap inside the container", r.Stderr);
    }

    private static string Owner(string path) => Run.Command("stat", "-c", "%u", path).EnsureSuccess().Stdout.Trim();
}
