using System.Net;
using System.Net.Sockets;
using Containet.Native;
using Containet.TestSupport;
using Containode;
using Xunit;

namespace Containode.Tests;

/// <summary>Compiled profiles loaded for real (seccomp-run on the host, restricting only the program it runs).</summary>
public sealed class SeccompEnforcementTests(SeccompRunner runner) : IClassFixture<SeccompRunner>
{
    private const string ContainersCommon = "/usr/share/containers/seccomp.json";
    private const string Busybox = "/bin/busybox";

    /// <summary>What Docker's default refuses, probed with arguments that fail or change nothing if a call gets through.</summary>
    private static readonly string[] Refused =
    [
        "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "ptrace", "kexec_file_load", "init_module", "finit_module",
        "delete_module", "reboot", "swapon", "swapoff", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "acct",
        "pivot_root", "open_by_handle_at", "name_to_handle_at", "userfaultfd", "syslog", "lookup_dcookie", "quotactl", "mount",
        "umount2", "unshare_net", "unshare_user", "setns", "clone_newuser", "fsopen", "fsmount", "fsconfig", "fspick", "move_mount",
        "open_tree", "mount_setattr", "io_uring_setup", "personality_noaslr", "kcmp", "process_vm_readv", "iopl", "sethostname",
    ];

    private static readonly string[] Allowed = ["getpid", "unshare_fs", "personality_query"];

    private static byte[] Default(ulong capabilities) =>
        SeccompProfile.Compile(SeccompProfile.DefaultJson, SeccompProfile.DefaultSource, capabilities);

    [Fact]
    public void The_probes_are_not_refused_without_a_filter()
    {
        var host = runner.Probe(null, [.. Refused, "clone3", .. Allowed]);
        Assert.All(host, p => Assert.True(p.Value != Errno.EPERM, $"{p.Key} gave EPERM on the host, so the probe proves nothing"));
        Assert.Equal(Refused.Length + 1 + Allowed.Length, host.Count);
    }

    [Fact]
    public void The_default_profile_refuses_what_docker_refuses_with_EPERM_and_clone3_with_ENOSYS()
    {
        var probed = runner.Probe(Default(Capabilities.DockerDefault), [.. Refused, "clone3", .. Allowed]);
        Assert.All(Refused, name => Assert.True(probed[name] == Errno.EPERM, $"{name} gave {Errno.Name(probed[name])}, not EPERM"));
        Assert.Equal(Errno.ENOSYS, probed["clone3"]);
        Assert.All(Allowed, name => Assert.True(probed[name] == 0, $"{name} gave {Errno.Name(probed[name])}"));
    }

    [Theory]
    [InlineData("SYS_ADMIN", new[] { "mount", "umount2", "unshare_net", "unshare_user", "setns", "clone_newuser", "clone3", "pivot_root", "fsopen", "open_tree", "sethostname", "bpf", "perf_event_open", "syslog", "quotactl" })]
    [InlineData("SYS_TIME", new[] { "settimeofday", "clock_settime", "clock_adjtime", "adjtimex" })]
    [InlineData("SYS_PTRACE", new[] { "ptrace", "kcmp", "process_vm_readv", "userfaultfd" })]
    [InlineData("SYS_MODULE", new[] { "init_module", "finit_module", "delete_module" })]
    [InlineData("SYS_BOOT", new[] { "reboot" })]
    [InlineData("SYS_PACCT", new[] { "acct" })]
    [InlineData("SYS_RAWIO", new[] { "iopl" })]
    [InlineData("DAC_READ_SEARCH", new[] { "open_by_handle_at", "name_to_handle_at" })]
    [InlineData("BPF", new[] { "bpf" })]
    [InlineData("PERFMON", new[] { "perf_event_open" })]
    [InlineData("SYSLOG", new[] { "syslog" })]
    public void A_capability_lets_its_calls_through_to_the_kernel_as_docker_does(string capability, string[] calls)
    {
        var mask = Capabilities.DockerDefault | 1UL << Capabilities.Number(capability)!.Value;
        var host = runner.Probe(null, calls);
        var probed = runner.Probe(Default(mask), calls);
        Assert.All(calls, name => Assert.True(host[name] == probed[name],
            $"{name} with CAP_{capability} gave {Errno.Name(probed[name])}, the kernel alone {Errno.Name(host[name])}"));
        Assert.Equal(Errno.EPERM, runner.Probe(Default(Capabilities.DockerDefault), calls)[calls[0]]);
    }

    [Fact]
    public void Under_the_default_profile_unshare_n_fails_with_EPERM()
    {
        var program = Default(Capabilities.DockerDefault);
        var unshare = runner.Run(program, Busybox, "unshare", "-n", Busybox, "true");
        Assert.NotEqual(0, unshare.ExitCode);
        Assert.Contains("Operation not permitted", unshare.Stderr);
        runner.Run(program, Busybox, "unshare", "--fork", Busybox, "true").EnsureSuccess();
    }

    [Fact]
    public void Under_the_default_profile_a_busybox_userland_works()
    {
        var dir = Path.Combine(runner.Dir, "userland-" + Unique.Name());
        var script = $"""
            set -e
            ls / >/dev/null
            mkdir -p {dir}/a/b
            echo hello > {dir}/a/b/f
            chown 65534:65534 {dir}/a/b/f
            chmod 600 {dir}/a/b/f
            cat {dir}/a/b/f
            ln -s b {dir}/a/l
            mv {dir}/a/b/f {dir}/a/b/g
            rm -r {dir}/a
            date +%s >/dev/null
            ps >/dev/null
            id -u
            sh -c 'exit 3' || echo "child exited $?"
            echo piped | cat | tr a-z A-Z
            ping -c 1 -W 5 127.0.0.1 >/dev/null && echo ping ok
            """;
        var run = runner.Run(Default(Capabilities.DockerDefault), Busybox, "sh", "-c", script);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("hello\n0\nchild exited 3\nPIPED\nping ok\n", run.Stdout);
    }

    [Fact]
    public async Task Under_the_default_profile_wget_fetches_from_a_server_on_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var request = new byte[4096];
            _ = await stream.ReadAsync(request);
            await stream.WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nfetch\n"u8.ToArray());
        });
        var wget = runner.Run(Default(Capabilities.DockerDefault), Busybox, "wget", "-q", "-O", "-", $"http://127.0.0.1:{port}/");
        Assert.True(wget.ExitCode == 0, wget.Stderr);
        Assert.Equal("fetch\n", wget.Stdout);
        await served.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_custom_profile_that_blocks_mkdir_makes_mkdir_fail_with_EPERM()
    {
        var program = SeccompProfile.Compile("""
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """, "no-mkdir.json", Capabilities.DockerDefault);
        var target = Path.Combine(runner.Dir, "made-" + Unique.Name());
        var mkdir = runner.Run(program, Busybox, "mkdir", target);
        Assert.NotEqual(0, mkdir.ExitCode);
        Assert.Contains("Operation not permitted", mkdir.Stderr);
        Assert.False(Directory.Exists(target));
        runner.Run(program, Busybox, "touch", target).EnsureSuccess();
        Assert.True(File.Exists(target), "only mkdir is blocked");
    }

    [Fact]
    public void The_containers_common_profile_lets_busybox_run_and_refuses_what_it_lists()
    {
        var program = SeccompProfile.Compile(SeccompProfile.ReadFile(ContainersCommon), ContainersCommon, Capabilities.DockerDefault);
        var dir = Path.Combine(runner.Dir, "podman-" + Unique.Name());
        var run = runner.Run(program, Busybox, "sh", "-c", $"mkdir {dir} && ls {dir} && ps >/dev/null && echo ok");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("ok\n", run.Stdout);
        var probed = runner.Probe(program, "swapon", "bpf", "userfaultfd", "io_uring_setup", "getpid");
        Assert.Equal(Errno.EPERM, probed["swapon"]);
        Assert.Equal(Errno.EPERM, probed["bpf"]);
        Assert.Equal(Errno.EPERM, probed["userfaultfd"]);
        Assert.Equal(Errno.ENOSYS, probed["io_uring_setup"]);
        Assert.Equal(0, probed["getpid"]);
    }
}
