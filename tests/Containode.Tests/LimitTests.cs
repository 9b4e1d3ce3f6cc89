using System.Diagnostics;
using System.Text.Json;
using Containet.Native;
using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests;

/// <summary>The timing tests measure CPU time and disk rates, so they run alone, not beside other tests.</summary>
[CollectionDefinition(nameof(LimitTests), DisableParallelization = true)]
public sealed class LimitTestsCollection : ICollectionFixture<BusyboxRoot>;

/// <summary>
/// Resource limits on real containers from the busybox root, enforced by this host's cgroup v1 controllers:
/// what a user would check (the OOM kill, the failed forks, the CPU time, the disk rate, the full layer), and
/// that each container's cgroup exists while it runs and is gone after.
/// </summary>
[Collection(nameof(LimitTests))]
public sealed class LimitTests(BusyboxRoot root)
{
    private static readonly (string Node, uint Major, uint Minor) Disk = BlockDevices.DiskOf(Path.GetTempPath());

    [RootFact]
    public void Memory_past_its_limit_is_oom_killed_with_status_137_and_one_line_that_says_so()
    {
        var id = "oom" + Unique.Name();

        // tmpfs pages are charged to the cgroup that writes them, and cannot be reclaimed without swap.
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "-m", "32m", "/bin/sh", "-c", "dd if=/dev/zero of=/dev/shm/f bs=1M count=100");

        Assert.Equal(137, r.ExitCode);
        Assert.Contains($"containode: {id} was killed: out of memory (limit 32 MiB)\n", r.Stderr);
        Assert.True(OomKilled(id));
        AssertGone(id);
    }

    [RootFact]
    public void In_a_user_namespace_the_container_joins_its_cgroups_as_its_root_and_is_limited_too()
    {
        var id = "uns" + Unique.Name();

        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "--userns", "private", "-m", "32m", "/bin/sh", "-c",
            "grep -c ':/$' /proc/self/cgroup >/dev/null && dd if=/dev/zero of=/dev/shm/f bs=1M count=100");

        Assert.Equal(137, r.ExitCode);
        Assert.Contains($"containode: {id} was killed: out of memory (limit 32 MiB)\n", r.Stderr);
        AssertGone(id);
    }

    [RootFact]
    public void A_sigkill_that_is_not_the_oom_killers_is_not_reported_as_one()
    {
        var id = "kill" + Unique.Name();
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "-m", "32m", "/bin/sh", "-c", "sh -c 'kill -9 $$'; exit $?");

        Assert.Equal(137, r.ExitCode);
        Assert.DoesNotContain("out of memory", r.Stderr);
        Assert.False(OomKilled(id));
    }

    [RootFact]
    public void Memory_within_its_limit_runs_and_says_nothing_of_memory()
    {
        var id = "fine" + Unique.Name();
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "-m", "64m", "--memory-swap", "-1", "--memory-reservation", "32m",
            "/bin/sh", "-c", "dd if=/dev/zero of=/dev/shm/f bs=1M count=16 2>/dev/null && echo fine");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("fine\n", r.Stdout);
        Assert.DoesNotContain("out of memory", r.Stderr);
        Assert.False(OomKilled(id));
    }

    [RootFact]
    public void A_detached_container_killed_for_memory_is_oom_killed_in_inspect_and_ps_and_a_restart_clears_it()
    {
        var name = "oomd" + Unique.Name();
        Containers.Run("run", "-d", "--name", name, "-r", root.Path, "-m", "32m", "/bin/sh", "-c",
            "[ -e /ran-once ] && exit 0; touch /ran-once; dd if=/dev/zero of=/dev/shm/f bs=1M count=100").EnsureSuccess();
        try
        {
            Eventually.True(() => Containers.Run("ps", "-a", "--json").Stdout.Contains(name) && Status(name) == "exited", "the container to be OOM-killed");
            Assert.True(OomKilled(name));
            Assert.Contains("\"oomKilled\": true", Containers.Run("ps", "-a", "--json").Stdout);
            Assert.Equal(0, Containers.Run("start", name).ExitCode);
            Eventually.True(() => Status(name) == "exited", "the second run to end");
            Assert.False(OomKilled(name));
        }
        finally
        {
            Containers.Run("rm", "-f", name);
        }
    }

    private static JsonElement State(string name)
    {
        var r = Containers.Run("inspect", name);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement[0].GetProperty("state");
    }

    private static string? Status(string name) => State(name).GetProperty("status").GetString();

    /// <summary>docker's State.OOMKilled, as inspect reports it for an exited container.</summary>
    private static bool OomKilled(string name) => State(name).GetProperty("oomKilled").GetBoolean();

    [RootFact]
    public void A_pids_limit_makes_forks_fail_inside_and_leaves_the_host_alone()
    {
        var id = "pid" + Unique.Name();

        // ash gives up at the first fork it cannot make; the numbers say how far it got.
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-i", id, "--pids-limit", "10", "/bin/sh", "-c",
            "i=0; while [ $i -lt 50 ]; do sleep 30 & i=$((i+1)); echo $i; done");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("can't fork", r.Stderr);
        var started = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).DefaultIfEmpty(0).Max();
        Assert.InRange(started, 1, 9);
        Assert.Equal(0, Run.Command("/bin/sh", "-c", "for i in $(seq 20); do true & done; wait").ExitCode);
        AssertGone(id);
    }

    [RootFact]
    public void A_quarter_cpu_gives_a_busy_loop_half_a_second_of_cpu_in_two_seconds_and_the_cgroup_exists_only_while_it_runs()
    {
        // The quota is a cap: on a loaded host the loop must first be given the CPU it may use. A parent of its own
        // (--cgroup-parent) with the greatest weight lets it outweigh everything else, so only the quota holds it back.
        using var parent = new Cgroups.RealCgroups("host");
        var cpu = System.IO.Directory.CreateDirectory(Path.Combine(parent.Host.V1["cpu"].OwnDirectory, parent.Parent)).FullName;
        File.WriteAllText(Path.Combine(cpu, "cpu.shares"), "262144");
        var id = "cpu" + Unique.Name();
        using var c = RunningContainer.Start(id, "/bin/sh", "-c", "timeout 2 sh -c 'while :; do :; done'; echo done; read x",
            "-r", root.Path, "-t", root.NewTop(), "--cgroup-parent", parent.Parent, "--cpus", "0.25", "--cpu-shares", "262144");

        c.WaitFor("done", TimeSpan.FromSeconds(20));
        var cpuacct = Path.Combine(parent.Host.V1["cpuacct"].OwnDirectory, parent.Parent, id);
        var seconds = long.Parse(File.ReadAllText(Path.Combine(cpuacct, "cpuacct.usage"))) / 1e9;
        Assert.Equal("25000", File.ReadAllText(Path.Combine(cpu, id, "cpu.cfs_quota_us")).Trim());
        c.End();

        Assert.InRange(seconds, 0.375, 0.625);
        Eventually.True(() => !System.IO.Directory.Exists(Path.Combine(cpu, id)) && !System.IO.Directory.Exists(cpuacct), "the cgroup to be removed");
    }

    [RootFact]
    public void The_cgroup_exists_in_each_hierarchy_while_the_container_runs_and_goes_after()
    {
        var id = "cg" + Unique.Name();
        using var c = RunningContainer.Start(id, "/bin/sh", "-c", "echo ready; read x", "-r", root.Path, "-t", root.NewTop());
        c.WaitFor("ready", TimeSpan.FromSeconds(20));

        Assert.All(Directories(id, ResourceLimits.None), d => Assert.True(System.IO.Directory.Exists(d), d));
        var pid = Containers.FirstProcess(c.Process).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(Directories(id, ResourceLimits.None), d => Assert.Contains(pid, File.ReadAllText(Path.Combine(d, "cgroup.procs")).Split('\n')));
        // Where cpu and cpuset are hierarchies of their own, a container that limits neither is not made in them.
        Assert.All(Directories(id).Except(Directories(id, ResourceLimits.None)), d => Assert.False(System.IO.Directory.Exists(d), d));
        c.End();

        AssertGone(id);
    }

    [RootTheory]
    [InlineData("--device-write-bps", "dd if=/dev/zero of=/f bs=1M count=16 oflag=direct 2>&1")]
    [InlineData("--device-read-bps", "dd if=/dev/zero of=/f bs=1M count=16 oflag=direct 2>&1 && dd if=/f of=/dev/null bs=1M iflag=direct 2>&1")]
    public void Disk_io_limited_to_4_mb_a_second_takes_its_time_and_is_quick_without(string option, string script)
    {
        var limited = Timed(option, $"{Disk.Node}:4mb", "/bin/sh", "-c", script);
        var free = Timed("/bin/sh", "-c", script);

        Assert.True(limited >= TimeSpan.FromSeconds(3), $"16 MB at 4 MB/s took {limited}");
        Assert.True(free * 2 < limited, $"without the limit it took {free}, with it {limited}");
    }

    [RootFact]
    public void A_net_cls_hierarchy_mounted_in_a_private_mount_namespace_gets_the_class_id()
    {
        using var dir = new TempDir("containet-test-netcls");
        var id = "cls" + Unique.Name();
        // The hierarchy lives as long as a mount or a cgroup of it does: the trap removes the container's, then unmounts.
        const string Script = """
            set -e
            mkdir "$D/net_cls"
            mount -t cgroup -o net_cls net_cls "$D/net_cls"
            trap 'exec 3>&-; wait; rmdir "$D/net_cls/containet/$ID" 2>/dev/null || true; rmdir "$D/net_cls/containet" || true; umount "$D/net_cls"' EXIT
            mkfifo "$D/go"
            "$CONTAINODE" -r "$ROOT" -t "$D/top" -i "$ID" --net-classid 10:1 /bin/sh -c 'read x' < "$D/go" &
            exec 3> "$D/go"
            i=0
            until [ -n "$(cat "$D/net_cls/containet/$ID/cgroup.procs" 2>/dev/null)" ]; do
              i=$((i+1)); [ $i -lt 500 ] || { echo "the container never joined" >&2; exit 1; }; sleep 0.02
            done
            echo "classid $(cat "$D/net_cls/containet/$ID/net_cls.classid")"
            """;

        var r = Run.Command("unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", Script], TimeSpan.FromSeconds(60),
            env: new Dictionary<string, string> { ["D"] = dir.Path, ["ID"] = id, ["ROOT"] = root.Path, ["CONTAINODE"] = Repo.Program("containode") });

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal($"classid {0x100001}\n", r.Stdout);
        Assert.Equal("", r.Stderr.Replace($"fs modifications saved to {dir.Combine("top")}\n", ""));
        Assert.DoesNotContain("net_cls", File.ReadAllText("/proc/self/mountinfo"));
    }

    [RootFact]
    public void Inside_its_cgroup_namespace_the_container_sees_its_own_cgroup_as_the_root_of_each_hierarchy()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-m", "64m", "--pids-limit", "20", "/bin/cat", "/proc/self/cgroup");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(":memory:", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith(":/", l));
    }

    [RootFact]
    public void A_cgroup_left_by_a_monitor_killed_with_sigkill_is_taken_over_by_the_next_start_and_removed_at_its_end()
    {
        var id = "k9" + Unique.Name();
        var top = root.NewTop();
        try
        {
            KillMonitor(id, top);

            var again = Containers.Run("-r", root.Path, "-t", top, "-i", id, "--pids-limit", "20", "/bin/true");

            Assert.True(again.ExitCode == 0, again.Stderr);
            AssertGone(id);
        }
        finally
        {
            Containers.RemoveLeftovers(id);
        }
    }

    [RootFact]
    public void A_cgroup_left_by_a_monitor_killed_with_sigkill_is_removed_as_rm_removes_it()
    {
        var id = "rm" + Unique.Name();
        try
        {
            KillMonitor(id, root.NewTop());
        }
        finally
        {
            Containers.RemoveLeftovers(id);
        }

        AssertGone(id);
    }

    [RootFact]
    public void A_writable_layer_of_16_mb_fills_with_enospc_inside_holds_at_most_16_mb_and_goes_with_the_container()
    {
        var id = "sz" + Unique.Name();
        using var c = RunningContainer.Start(id, "/bin/sh", "-c", "dd if=/dev/zero of=/f bs=1M count=32; echo written; read x",
            "-r", root.Path, "--storage-opt", "size=16m");
        var output = c.WaitFor("written", TimeSpan.FromSeconds(30));
        // The layer's image is made in the container's state directory, where its default TOP would be.
        var parent = Path.Combine(ContainodeState.Lib, ContainodeState.IdOf(id)!);
        var loops = LoopDevicesBackedFrom(parent);
        Assert.Single(loops);
        Assert.Equal(16L << 20, long.Parse(File.ReadAllText($"/sys/block/{loops[0]}/size")) * 512);
        c.End();

        Assert.Contains("No space left on device", c.Stderr);
        Assert.Contains("written", output);
        Assert.False(System.IO.Directory.Exists(root.Path + "." + id), "no TOP is made beside ROOT");
        Eventually.True(() => LoopDevicesBackedFrom(parent).Count == 0, "the loop device to clear once the container is gone");
        AssertGone(id);
    }

    [RootFact]
    public void Stats_shows_memory_within_ten_percent_of_what_the_container_allocated()
    {
        var id = "st" + Unique.Name();
        using var c = RunningContainer.Start(id, "/bin/sh", "-c", "dd if=/dev/zero of=/dev/shm/f bs=1M count=40 2>/dev/null; echo ready; read x",
            "-r", root.Path, "-t", root.NewTop(), "-m", "128m");
        c.WaitFor("ready", TimeSpan.FromSeconds(20));

        var json = Containers.Run("stats", "--no-stream", "--json", id);
        var table = Containers.Run("stats", "--no-stream", id);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var usage = doc.RootElement.GetProperty("memory_usage").GetInt64();
        Assert.InRange(usage, 36L << 20, 44L << 20);
        Assert.Equal(128L << 20, doc.RootElement.GetProperty("memory_limit").GetInt64());
        Assert.Equal(id, doc.RootElement.GetProperty("name").GetString());
        Assert.True(doc.RootElement.GetProperty("pids").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("net_in").ValueKind);
        Assert.Contains(id, table.Stdout);
        Assert.Contains("/ 128 MiB", table.Stdout);
        c.End();
        AssertGone(id);
    }

    [RootFact]
    public void Stats_counts_the_network_from_the_switch_port()
    {
        using var sw = new SwitchProcess();
        var id = "sn" + Unique.Name();
        using var c = RunningContainer.Start(id, "/bin/sh", "-c", "ping -c 2 -W 1 10.94.0.9 >/dev/null 2>&1; echo ready; read x",
            "-r", root.Path, "-t", root.NewTop(), "-s", sw.Socket, "-4", "10.94.0.2/24");
        c.WaitFor("ready", TimeSpan.FromSeconds(20));

        var json = Containers.Run("stats", "--no-stream", "--json", id);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.True(doc.RootElement.GetProperty("net_out").GetInt64() > 0, json.Stdout);
        Assert.True(doc.RootElement.GetProperty("net_in").GetInt64() >= 0, json.Stdout);
        c.End();
        AssertGone(id);
    }

    [RootFact]
    public void Stats_of_a_container_that_does_not_run_is_an_error()
    {
        var r = Containers.Run("stats", "--no-stream", "nosuch" + Unique.Name());

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is running", r.Stderr);
    }

    [RootTheory]
    [InlineData("-m", "-1", "--memory takes a size")]
    [InlineData("--memory-swap", "64m", "--memory-swap needs --memory")]
    [InlineData("--device-write-bps", "/dev/nonexistent:1mb", "ENOENT")]
    [InlineData("--cpus", "1000", "this host has")]
    [InlineData("--cgroup-parent", "../up", "plain names")]
    [InlineData("--storage-opt", "size=1k", "from 1 MiB")]
    public void Bad_values_are_one_line_status_2_and_nothing_made(string option, string value, string says)
    {
        var id = "bad" + Unique.Name();

        var r = Containers.Run("-r", root.Path, "-i", id, option, value, "/bin/true");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(says, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(System.IO.Directory.Exists(root.Path + "." + id));
        AssertGone(id);
    }

    [RootFact]
    public void A_storage_size_with_a_top_is_bad_usage()
    {
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "--storage-opt", "size=16m", "/bin/true");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no TOP (-t)", r.Stderr);
    }

    /// <summary>The container's cgroup directories, by the hierarchies this host has (the test runs where containode does).</summary>
    /// <summary>The container's cgroup directories; without <paramref name="limits"/>, each one a container may have.</summary>
    private static List<string> Directories(string id, ResourceLimits? limits = null)
    {
        var hierarchies = ContainerCgroup.Hierarchies(CgroupHost.Detect(), limits);
        return [.. hierarchies.Select(h => Path.Combine(h.OwnDirectory, ContainerCgroup.Subtree, id))];
    }

    private static void AssertGone(string id)
    {
        Eventually.True(() => Directories(id).All(d => !System.IO.Directory.Exists(d)), $"the cgroup of {id} to be removed");
        Containers.AssertNothingLeft(id);
    }

    /// <summary>Runs a container, kills its monitor with SIGKILL (the container dies with it) and checks that its cgroup stays behind.</summary>
    private void KillMonitor(string id, string top)
    {
        using (var c = RunningContainer.Start(id, "/bin/sh", "-c", "echo ready; read x", "-r", root.Path, "-t", top, "--pids-limit", "20"))
        {
            c.WaitFor("ready", TimeSpan.FromSeconds(20));
            var container = Containers.FirstProcess(c.Process);
            c.Process.Signal(Signal.Kill);
            Assert.True(c.Process.WaitForExit(10_000));
            Eventually.True(() => !System.IO.Directory.Exists($"/proc/{container}"), "the container to die with its monitor");
        }
        Assert.All(Directories(id, ResourceLimits.None), d => Assert.True(System.IO.Directory.Exists(d), d + " stays after kill -9"));
    }

    /// <summary>How long a container running these arguments takes, from start to end; it must succeed.</summary>
    private TimeSpan Timed(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var r = Containers.Run(["-r", root.Path, "-t", root.NewTop(), .. args]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        return clock.Elapsed;
    }

    /// <summary>The loop devices whose backing file was made under <paramref name="directory"/> (an unnamed file shows as "DIR/#INODE (deleted)").</summary>
    private static List<string> LoopDevicesBackedFrom(string directory) =>
        [.. System.IO.Directory.EnumerateDirectories("/sys/block", "loop*")
            .Where(d => File.Exists(Path.Combine(d, "loop", "backing_file"))
                && File.ReadAllText(Path.Combine(d, "loop", "backing_file")).StartsWith(directory + "/", StringComparison.Ordinal))
            .Select(Path.GetFileName).OfType<string>()];
}
