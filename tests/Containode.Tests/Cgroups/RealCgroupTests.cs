using System.Diagnostics;
using Containet.Native;
using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>
/// Device rules enforced by the kernel: a shell joins the container's cgroup and tries to open nodes, on this
/// host as it is (v1's devices controller here) and on its unified hierarchy alone (the v2 device program).
/// </summary>
public sealed class RealCgroupTests : IDisposable
{
    private const string Refused = "Operation not permitted";
    private readonly TempDir nodes = new("containet-test-nodes");

    public void Dispose() => nodes.Dispose();

    public static TheoryData<string> Views() => new() { "host", "unified", "v1" };

    [RootTheory]
    [MemberData(nameof(Views))]
    public void By_default_only_the_containers_nodes_open_and_a_node_it_makes_does_not(string view)
    {
        var r = ProbeWith(view, DeviceRules.Default);

        Assert.Equal("ok", r["read-null"]);
        Assert.Equal("ok", r["write-null"]);
        Assert.Equal("ok", r["read-urandom"]);
        Assert.Contains(Refused, r["read-kmsg"]);
        Assert.Equal("ok", r["mknod-kmsg"]);
        Assert.Contains(Refused, r["open-made-kmsg"]);
        Assert.Equal("ok", r["mknod-tun"]);
        Assert.Contains(Refused, r["open-made-tun"]);
    }

    [RootTheory]
    [MemberData(nameof(Views))]
    public void Privileged_opens_every_device(string view)
    {
        var r = ProbeWith(view, DeviceRules.For(privileged: true, []));

        Assert.Equal("ok", r["read-kmsg"]);
        Assert.Equal("ok", r["open-made-kmsg"]);
        Assert.Equal("ok", r["open-made-tun"]);
    }

    [RootTheory]
    [MemberData(nameof(Views))]
    public void A_deny_after_the_defaults_takes_only_its_access_away(string view)
    {
        var r = ProbeWith(view, [.. DeviceRules.Default, new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.Write, allow: false)]);

        Assert.Equal("ok", r["read-null"]);
        Assert.Contains(Refused, r["write-null"]);
        Assert.Equal("ok", r["read-urandom"]);
    }

    [RootTheory]
    [MemberData(nameof(Views))]
    public void After_allow_all_a_deny_refuses_only_its_node(string view)
    {
        var r = ProbeWith(view, [DeviceRule.AllowAll, new DeviceRule(DeviceType.Char, 1, 11, DeviceAccess.Read | DeviceAccess.Write, allow: false)]);

        Assert.Contains(Refused, r["read-kmsg"]);
        Assert.Equal("ok", r["mknod-kmsg"]);
        Assert.Contains(Refused, r["open-made-kmsg"]);
        Assert.Equal("ok", r["open-made-tun"]);
    }

    public static TheoryData<string, DeviceRule[]> RuleSets() => new()
    {
        { "default", [.. DeviceRules.Default] },
        { "default and a deny", [.. DeviceRules.Default, new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.Write, allow: false)] },
        { "privileged", [DeviceRule.AllowAll] },
        { "all but kmsg", [DeviceRule.AllowAll, new DeviceRule(DeviceType.Char, 1, 11, DeviceAccess.All, allow: false)] },
        { "--device", [.. DeviceRules.For(privileged: false, [.. DeviceNodes.Standard, DeviceNodes.Parse("/dev/net/tun:rw")])] },
    };

    [V1DevicesTheory]
    [MemberData(nameof(RuleSets))]
    public void The_v1_controller_holds_what_the_rules_add_up_to(string name, DeviceRule[] rules)
    {
        using var cgroups = new RealCgroups("v1");
        using var cgroup = cgroups.Create();

        cgroup.Apply(new CgroupSettings(rules));

        var table = DeviceExceptions.Of(rules);
        string[] expected = table.DefaultAllow ? ["a *:* rwm"] : [.. table.Exceptions.Select(e => e.ToString())];
        Assert.True(expected.SequenceEqual(File.ReadAllLines(Path.Combine(Path.GetDirectoryName(cgroup.ProcsFiles[0])!, "devices.list"))), name);
    }

    [V1DevicesFact]
    public void A_rule_the_kernel_refuses_names_itself()
    {
        using var cgroups = new RealCgroups("v1");
        using var cgroup = cgroups.Create();
        // A cgroup cannot allow what its parent denies.
        var devices = Path.GetDirectoryName(cgroup.ProcsFiles[0])!;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(devices)!, "devices.deny"), "c 1:11 r");

        var e = Assert.Throws<NativeException>(() => cgroup.Apply(new CgroupSettings([new DeviceRule(DeviceType.Char, 1, 11, DeviceAccess.Read)])));

        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Contains("'c 1:11 r' to ", e.Message);
    }

    [RootTheory]
    [MemberData(nameof(Views))]
    public void A_cgroup_with_a_process_in_it_is_in_use_and_goes_once_the_process_has(string view)
    {
        using var cgroups = new RealCgroups(view);
        using var cgroup = cgroups.Create("busy");
        using (var process = new ProcessInCgroup(RealCgroups.Joined(cgroup)))
        {
            var e = Assert.Throws<LaunchException>(() => cgroups.Create("busy"));
            Assert.Contains("is in use", e.Message);
            Assert.All(cgroup.Directories, d => Assert.True(Directory.Exists(d), d));

            process.End();
        }
        CgroupCleanUp.Run(cgroup);

        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
    }

    [RootTheory]
    [MemberData(nameof(Views))]
    public void Containet_wait_removes_the_cgroup_once_the_container_has_ended(string view)
    {
        using var cgroups = new RealCgroups(view);
        using var cgroup = cgroups.Create();
        using var waiter = StartWaiter(cgroup);
        Assert.Equal("joined", waiter.StandardOutput.ReadLine());

        waiter.StandardInput.Close();

        Assert.True(waiter.WaitForExit(10_000), "containet-wait did not end");
        Assert.Equal(0, waiter.ExitCode);
        Assert.Equal("", waiter.StandardError.ReadToEnd());
        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
    }

    [RootFact]
    public void Containet_wait_gives_up_on_a_cgroup_that_stays_busy_after_about_two_seconds_each_and_says_so()
    {
        using var cgroups = new RealCgroups("v1");
        using var cgroup = cgroups.Create();
        using var stays = new ProcessInCgroup(RealCgroups.Joined(cgroup));
        using var waiter = StartWaiter(cgroup);
        Assert.Equal("joined", waiter.StandardOutput.ReadLine());
        var clock = Stopwatch.StartNew();

        waiter.StandardInput.Close();

        // Each directory gets its own 2 s.
        var count = cgroup.Directories.Count;
        Assert.True(waiter.WaitForExit(TimeSpan.FromSeconds(2 * count + 10)), "containet-wait did not end");
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9 * count, 2 * count + 2);
        Assert.Equal(0, waiter.ExitCode);
        var errors = waiter.StandardError.ReadToEnd();
        Assert.All(cgroup.Directories, d => Assert.Contains($"could not remove {d}: Device or resource busy", errors));
        Assert.All(cgroup.Directories, d => Assert.True(Directory.Exists(d), d));
    }

    /// <summary>
    /// containet-wait as a launcher leaves it: the parent of the container's first process (here a shell that
    /// joins the cgroup and waits for stdin to close), with the cgroup's removal as its exit steps.
    /// </summary>
    private static ChildProcess StartWaiter(ContainerCgroup cgroup)
    {
        var steps = new ExitSteps();
        cgroup.AddExitSteps(steps);
        // A background job's stdin is /dev/null unless redirected: hand it the test's pipe on fd 3.
        const string script = "exec 3<&0; sh -c 'for f in $JOIN; do echo 0 > \"$f\" || exit 99; done; echo joined; read x || true' <&3 3<&- & exec \"$0\" \"$!\" \"$@\"";
        return ChildProcess.Start("/bin/sh", ["-c", script, Path.Combine(AppContext.BaseDirectory, "containet-wait"), .. steps.Arguments],
            env: new Dictionary<string, string> { ["JOIN"] = string.Join(' ', RealCgroups.Joined(cgroup)) });
    }

    /// <summary>Probes a container's cgroup with these rules, then removes it and checks it is gone.</summary>
    private Dictionary<string, string> ProbeWith(string view, IReadOnlyList<DeviceRule> rules)
    {
        using var cgroups = new RealCgroups(view);
        using var cgroup = cgroups.Create();
        cgroup.Apply(new CgroupSettings(rules));

        var r = Probe(cgroup);

        CgroupCleanUp.Run(cgroup);
        Assert.All(cgroup.Directories, d => Assert.False(Directory.Exists(d), d));
        return r;
    }

    /// <summary>Runs a shell in the cgroup that tries each access and reports "ok" or the shell's error, per name.</summary>
    private Dictionary<string, string> Probe(ContainerCgroup cgroup)
    {
        const string script = """
            for f; do echo 0 > "$f" || exit 99; done
            probe() { if out=$(eval "$2" 2>&1); then echo "$1 ok"; else echo "$1 $out"; fi; }
            probe read-null 'true < /dev/null'
            probe write-null 'echo x > /dev/null'
            probe read-urandom 'true < /dev/urandom'
            probe read-kmsg 'true < /dev/kmsg'
            probe mknod-kmsg 'mknod "$NODES/kmsg" c 1 11'
            probe open-made-kmsg 'true < "$NODES/kmsg"'
            probe mknod-tun 'mknod "$NODES/tun" c 10 200'
            probe open-made-tun 'true < "$NODES/tun"'
            """;
        var r = Run.Command("/bin/sh", ["-c", script, "sh", .. RealCgroups.Joined(cgroup)], TimeSpan.FromSeconds(30),
            env: new Dictionary<string, string> { ["NODES"] = nodes.Path, ["LC_ALL"] = "C" }).EnsureSuccess();
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
    }
}
