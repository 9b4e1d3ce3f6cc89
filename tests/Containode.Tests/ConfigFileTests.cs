using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Containode.Tests;

/// <summary>Containers described by config files (minimal_containers' format) in a folder of the test's own.</summary>
public sealed class ConfigFileTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>, IDisposable
{
    private readonly TempDir configs = new("containode-configs");
    private readonly List<string> names = [];

    private string Write(string name, string text)
    {
        names.Add(name);
        File.WriteAllText(configs.Combine(name + ".conf"), text);
        return name;
    }

    private RunResult Containode(string verb, params string[] args) => Containers.Run([verb, "--config-dir=" + configs.Path, .. args]);

    [RootFact]
    public void A_config_file_with_every_key_this_issue_implements_starts_its_container()
    {
        using var shared = new TempDir("containode-shared");
        File.WriteAllText(shared.Combine("in"), "from the host\n");
        File.WriteAllText(shared.Combine("tool"), "#!/bin/sh\necho tool ran with \"$@\" as $(id -u):$(id -g) in $(pwd) $GREETING\n");
        File.SetUnixFileMode(shared.Combine("tool"), (UnixFileMode)Mode.O755);
        var name = "f" + Unique.Name();
        Write(name, $"""
            # every key of this issue
            root={root.Path}
            init=@{shared.Combine("tool")}
            arg=one
            arg=two words
            namespaces=phi
            mount={shared.Path}:/shared
            mount=/nonexistent/source:/missing
            mount_ro={shared.Path}:/ro
            env=GREETING=hi
            workdir=/tmp
            user=1000:1000
            reaper=true
            restart=no
            cap_drop=NET_RAW
            security_opt=no-new-privileges
            read_only=false

            """);
        var start = Containers.Run("start", "--config-dir", configs.Path, name);
        Assert.True(start.ExitCode == 0, start.Stderr);
        Eventually.True(() => Containers.Run("logs", name).Stdout.Contains("tool ran"), "the container's output");
        var logs = Containers.Run("logs", name).Stdout;
        Assert.Contains("tool ran with one two words as 1000:1000 in /tmp hi", logs);
        Assert.Contains("warning: mount /nonexistent/source:/missing", Containers.Run("logs", name).Stderr);
        Assert.Contains(name, Containers.Run("ps", "-a").Stdout);
        Containers.Run("rm", "-f", name).EnsureSuccess();
    }

    /// <summary>
    /// Every limit key of minimal_containers' format and the docker-named ones, started from the file: each value is
    /// read back from the container's v1 cgroup files while it runs. This host has no net_cls hierarchy, so the test
    /// mounts one in a private mount namespace, where containode runs too, and unmounts it after.
    /// </summary>
    [RootFact]
    public void A_config_file_with_every_limit_key_lands_in_the_real_cgroup_files()
    {
        var (node, major, minor) = BlockDevices.DiskOf(Path.GetTempPath());
        var device = $"{major}:{minor}";
        var name = Write("lim" + Unique.Name(), $"""
            root={root.Path}
            init=/bin/sleep
            arg=60
            # minimal_containers' keys
            max_physical_memory=64m
            max_memory=96m
            cpu_share=512
            net_classid=0x100001
            iops_limit={device} 100
            io_bw_limit={device} 1048576
            # docker's options, named as keys
            memory_reservation=32m
            cpus=0.5
            cpuset_cpus=0
            pids_limit=50
            device_write_iops={node}:200

            """);
        const string Script = """
            set -e
            mkdir "$D/net_cls"
            mount -t cgroup -o net_cls net_cls "$D/net_cls"
            trap '"$CONTAINODE" rm -f "$NAME" >/dev/null 2>&1 || true; rmdir "$D/net_cls/containet" 2>/dev/null || true; umount "$D/net_cls"' EXIT
            "$CONTAINODE" start --config-dir "$CONFIGS" "$NAME" >/dev/null
            # The container's cgroup in a hierarchy: containode's own there (this shell's), containet, the name.
            dir() { own=$(awk -F: -v c="$1" '$2 == c { print $3 }' /proc/self/cgroup); echo "$2${own%/}/containet/$NAME"; }
            for f in memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes memory/memory.soft_limit_in_bytes                      cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus pids/pids.max                      blkio/blkio.throttle.read_iops_device blkio/blkio.throttle.write_iops_device                      blkio/blkio.throttle.read_bps_device blkio/blkio.throttle.write_bps_device; do
              c=${f%%/*}
              echo "$f $(cat "$(dir "$c" "/sys/fs/cgroup/$c")/${f#*/}")"
            done
            echo "net_cls/net_cls.classid $(cat "$(dir net_cls "$D/net_cls")/net_cls.classid")"
            """;
        using var dir = new TempDir("containet-test-conflimits");

        var r = Run.Command("unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", Script], TimeSpan.FromSeconds(60),
            env: new Dictionary<string, string> { ["D"] = dir.Path, ["NAME"] = name, ["CONFIGS"] = configs.Path, ["CONTAINODE"] = Repo.Program("containode") });

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var values = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(new SortedDictionary<string, string>
        {
            ["memory/memory.limit_in_bytes"] = $"{64 << 20}",
            ["memory/memory.memsw.limit_in_bytes"] = $"{96 << 20}",
            ["memory/memory.soft_limit_in_bytes"] = $"{32 << 20}",
            ["cpu/cpu.shares"] = "512",
            ["cpu/cpu.cfs_quota_us"] = "50000",
            ["cpu/cpu.cfs_period_us"] = "100000",
            ["cpuset/cpuset.cpus"] = "0",
            ["pids/pids.max"] = "50",
            ["blkio/blkio.throttle.read_iops_device"] = $"{device} 100",
            ["blkio/blkio.throttle.write_iops_device"] = $"{device} 200",
            ["blkio/blkio.throttle.read_bps_device"] = $"{device} 1048576",
            ["blkio/blkio.throttle.write_bps_device"] = $"{device} 1048576",
            ["net_cls/net_cls.classid"] = $"{0x100001}",
        }.Select(p => $"{p.Key} {p.Value}"), values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
        Assert.DoesNotContain("net_cls", File.ReadAllText("/proc/self/mountinfo"));
        Assert.Null(ContainodeState.IdOf(name));
    }

    /// <summary>
    /// minimal_containers' namespaces= on real containers: a letter gives the container that namespace of its own
    /// (u user, p pid, h hostname, t time, i ipc), a letter left out keeps the host's, and all is every one.
    /// </summary>
    [RootTheory]
    [InlineData("all", true, true, true, true, true)]
    [InlineData("pt", false, true, false, true, false)]
    [InlineData("phi", false, true, true, false, true)]
    public void The_namespaces_key_gives_the_container_the_namespaces_it_names_and_the_hosts_others(string letters, bool user, bool pid, bool uts, bool time, bool ipc)
    {
        var name = Write("ns" + Unique.Name(), $$"""
            root={{root.Path}}
            init=/bin/sh
            arg=-c
            arg=echo "uid $(awk '{print $2}' /proc/self/uid_map) pid1 $(cat /proc/1/comm) host $(hostname) up $(cut -d. -f1 /proc/uptime) ipc $(readlink /proc/self/ns/ipc)"
            namespaces={{letters}}

            """);

        Assert.True(Containode("start", name).ExitCode == 0);
        Eventually.True(() => Containers.Run("logs", name).Stdout.Contains("ipc "), "the container's line");

        var seen = Containers.Run("logs", name).Stdout.Trim().Split(' ').Chunk(2).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(user ? "1000000000" : "0", seen["uid"]);
        Assert.Equal(pid, seen["pid1"] != File.ReadAllText("/proc/1/comm").Trim());
        Assert.Equal(uts ? name : Environment.MachineName, seen["host"]);
        // The host has been up far longer than a time namespace made a moment ago.
        Assert.Equal(time, int.Parse(seen["up"], System.Globalization.CultureInfo.InvariantCulture) < 10);
        Assert.Equal(ipc, seen["ipc"] != new FileInfo("/proc/self/ns/ipc").LinkTarget);
    }

    [RootFact]
    public void Start_all_starts_each_good_file_and_reports_the_broken_one_without_stopping()
    {
        var a = Write("a" + Unique.Name(), $"root={root.Path}\ninit=/bin/sleep\narg=30\n");
        var b = Write("b" + Unique.Name(), $"root={root.Path}\nbogus_key=1\n");
        var c = Write("c" + Unique.Name(), $"root={root.Path}\ninit=/bin/sleep\narg=30\n");

        var r = Containode("start-all");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{a}: started", r.Stdout);
        Assert.Contains($"{b}: failed: {configs.Combine(b + ".conf")}:2: unknown key 'bogus_key'", r.Stdout);
        Assert.Contains($"{c}: started", r.Stdout);
        Assert.Contains($"{a}: already running", Containode("start-all").Stdout);

        var stop = Containode("stop-all", "-t", "1");
        Assert.Equal(0, stop.ExitCode);
        Assert.DoesNotContain(a, Containers.Run("ps").Stdout);
        Assert.DoesNotContain(c, Containers.Run("ps").Stdout);
    }

    [RootFact]
    public void Crlf_and_unknown_keys_and_bad_values_name_the_file_and_the_line()
    {
        var crlf = Write("r" + Unique.Name(), $"root={root.Path}\r\ninit=/bin/true\r\n");
        var unknown = Write("u" + Unique.Name(), $"root={root.Path}\n\n# fine\nrooot=/x\n");
        var memory = Write("m" + Unique.Name(), $"root={root.Path}\ninit=/bin/true\nmax_memory=lots\n");

        var r1 = Containode("start", crlf);
        Assert.Equal(1, r1.ExitCode);
        Assert.Contains($"{configs.Combine(crlf + ".conf")}:1: CRLF", r1.Stderr);
        Assert.Contains($"{configs.Combine(unknown + ".conf")}:4: unknown key 'rooot'", Containode("start", unknown).Stderr);
        var r3 = Containode("start", memory);
        Assert.Contains($"{configs.Combine(memory + ".conf")}:3: max_memory: ", r3.Stderr);
        Assert.Contains("no such file", Containode("start", "nothing" + Unique.Name()).Stderr);
    }

    public void Dispose()
    {
        foreach (var name in names)
            if (ContainodeState.IdOf(name) is not null) Containers.Run("rm", "-f", name);
        configs.Dispose();
    }
}
