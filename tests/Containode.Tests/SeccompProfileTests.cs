using System.Text;
using Containet.Native;
using Containet.TestSupport;
using Containode;
using Xunit;

namespace Containode.Tests;

public sealed class SeccompProfileTests
{
    private const string Source = "/etc/test/profile.json";
    private const string ContainersCommon = "/usr/share/containers/seccomp.json";
    private static readonly NativeArch Amd64 = new("x86_64", "amd64");
    private static readonly Version Kernel = new(6, 1, 0);

    private static string Profile(string syscalls, string extra = "") =>
        $$"""{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, {{extra}} "syscalls": [{{syscalls}}]}""";

    private static string Fault(string json) =>
        Assert.Throws<LaunchException>(() => SeccompProfile.Compile(json, Source, Capabilities.DockerDefault)).Message;

    [Fact]
    public void A_docker_profile_compiles_to_whole_instructions()
    {
        var program = SeccompProfile.Compile(Profile("""
            {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
            {"name": "kill", "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 0, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
            {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "comment": "ignored", "includes": {}, "excludes": {}}
            """, """ "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],"""), Source, 0);
        Assert.True(program.Length > 0 && program.Length % 8 == 0);
    }

    [Fact]
    public void Member_names_match_in_any_case_and_unknown_members_are_ignored_as_go_does()
    {
        var a = SeccompProfile.Compile("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}""", Source, 0);
        var b = SeccompProfile.Compile("""
            {"DefaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"], "listenerPath": "",
             "SYSCALLS": [{"Names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errno": "EPERM"}]}
            """, Source, 0);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Unknown_syscall_names_are_skipped()
    {
        var with = SeccompProfile.Compile(Profile("""{"names": ["read", "no_such_call_containet"], "action": "SCMP_ACT_ALLOW"}"""), Source, 0);
        var without = SeccompProfile.Compile(Profile("""{"names": ["read"], "action": "SCMP_ACT_ALLOW"}"""), Source, 0);
        Assert.Equal(without, with);
    }

    [Fact]
    public void Rules_follow_the_capabilities_the_container_holds()
    {
        var json = Profile("""
            {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["read"], "action": "SCMP_ACT_ALLOW"}
            """);
        var plain = SeccompProfile.Compile(json, Source, Capabilities.DockerDefault);
        var admin = SeccompProfile.Compile(json, Source, Capabilities.DockerDefault | 1UL << 21);
        Assert.NotEqual(plain, admin);
        Assert.Equal(plain, SeccompProfile.Compile(Profile("""{"names": ["read"], "action": "SCMP_ACT_ALLOW"}"""), Source, 0));
    }

    [Theory]
    [InlineData("""{"caps": ["CAP_SYS_ADMIN"]}""", null, 1UL << 21, true)]
    [InlineData("""{"caps": ["CAP_SYS_ADMIN"]}""", null, 0UL, false)]
    [InlineData("""{"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}""", null, 1UL << 21, false)]
    [InlineData("""{"caps": ["CAP_NO_SUCH_THING"]}""", null, ulong.MaxValue, false)]
    [InlineData(null, """{"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}""", 1UL << 39, false)]
    [InlineData(null, """{"caps": ["CAP_SYS_ADMIN"]}""", 0UL, true)]
    [InlineData(null, """{"caps": ["CAP_NO_SUCH_THING"]}""", ulong.MaxValue, true)]
    [InlineData("""{"arches": ["amd64", "x32"]}""", null, 0UL, true)]
    [InlineData("""{"arches": ["x86_64"]}""", null, 0UL, true)]
    [InlineData("""{"arches": ["arm64", "arm"]}""", null, 0UL, false)]
    [InlineData(null, """{"arches": ["amd64"]}""", 0UL, false)]
    [InlineData("""{"minKernel": "4.8"}""", null, 0UL, true)]
    [InlineData("""{"minKernel": "6.1.1"}""", null, 0UL, false)]
    [InlineData(null, """{"minKernel": "5.10"}""", 0UL, false)]
    [InlineData(null, """{"minKernel": "7.0"}""", 0UL, true)]
    [InlineData("""{}""", """{}""", 0UL, true)]
    public void Includes_and_excludes_follow_mobys_rules(string? includes, string? excludes, ulong caps, bool applies)
    {
        var json = Profile($$"""{"names": ["read"], "action": "SCMP_ACT_ALLOW" {{(includes is null ? "" : ", \"includes\": " + includes)}} {{(excludes is null ? "" : ", \"excludes\": " + excludes)}}}""");
        var rule = SeccompProfile.Parse(json, Source).Rules.Single();
        Assert.Equal(applies, rule.AppliesTo(caps, Amd64, Kernel));
    }

    [Fact]
    public void Conditions_on_distinct_arguments_are_one_rule_and_a_repeated_argument_splits_them_as_runc_does()
    {
        var rules = SeccompProfile.Parse(Profile("""
            {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 9, "op": "SCMP_CMP_EQ"}]},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
            """), Source).Rules;
        Assert.Single(rules[0].ConditionSets());
        Assert.Equal(2, rules[0].ConditionSets().Single().Length);
        Assert.Equal([1, 1], rules[1].ConditionSets().Select(c => c.Length));
        Assert.Equal(new SeccompArgument(0, SeccompCompare.Equal, 8), rules[1].ConditionSets().Last()[0]);
    }

    [Fact]
    public void Actions_map_as_runc_maps_them()
    {
        SeccompAction Of(string action, string errno = "") =>
            SeccompProfile.Parse($$"""{"defaultAction": "{{action}}" {{errno}}}""", Source).DefaultAction;
        Assert.Equal(SeccompAction.Allow, Of("SCMP_ACT_ALLOW"));
        Assert.Equal(SeccompAction.Errno(Errno.EPERM), Of("SCMP_ACT_ERRNO"));
        Assert.Equal(SeccompAction.Errno(Errno.ENOSYS), Of("SCMP_ACT_ERRNO", ", \"defaultErrnoRet\": 38"));
        Assert.Equal(SeccompAction.KillThread, Of("SCMP_ACT_KILL"));
        Assert.Equal(SeccompAction.KillThread, Of("SCMP_ACT_KILL_THREAD"));
        Assert.Equal(SeccompAction.KillProcess, Of("SCMP_ACT_KILL_PROCESS"));
        Assert.Equal(SeccompAction.Trap, Of("SCMP_ACT_TRAP"));
        Assert.Equal(SeccompAction.Trace(Errno.EPERM), Of("SCMP_ACT_TRACE"));
        Assert.Equal(SeccompAction.Log, Of("SCMP_ACT_LOG"));
    }

    [Fact]
    public void Docker_archMap_adds_the_native_entry_and_OCI_architectures_add_all()
    {
        var docker = SeccompProfile.Parse(Profile("", """
            "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                        {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
            """), Source);
        Assert.Equal(["x86_64", "x86", "x32"], docker.ArchitecturesFor(Amd64));
        Assert.Equal(["aarch64", "arm"], docker.ArchitecturesFor(new NativeArch("aarch64", "arm64")));
        Assert.Empty(docker.ArchitecturesFor(new NativeArch("riscv64", "riscv64")));
        var oci = SeccompProfile.Parse(Profile("", """ "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],"""), Source);
        Assert.Equal(["x86_64", "aarch64"], oci.ArchitecturesFor(Amd64));
    }

    [Theory]
    [InlineData("{", "is not valid profile JSON")]
    [InlineData("[]", "is not valid profile JSON")]
    [InlineData("null", "is not valid profile JSON: null")]
    [InlineData("""{"syscalls": []}""", "defaultAction: no action given")]
    [InlineData("""{"defaultAction": "SCMP_ACT_NOTIFY"}""", "defaultAction: unknown action SCMP_ACT_NOTIFY")]
    [InlineData("""{"defaultAction": "allow"}""", "unknown action allow")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 70000}""", "errnoRet 70000 is not an errno")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1}""", "is not valid profile JSON")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [null]}""", "syscalls[0] is null")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]}""", "syscalls[0] names no syscall")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [""], "action": "SCMP_ACT_ERRNO"}]}""", "syscalls[0]: a syscall name is empty")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL_ALL"}]}""", "syscalls[0]: unknown action SCMP_ACT_KILL_ALL")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}""", "syscalls[0].args[0]: index 6")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}""", "unknown operator SCMP_CMP_LIKE")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]}""", "is not valid profile JSON")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "includes": {"minKernel": "four"}}]}""", "minKernel four is not a kernel version")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["x86_64"]}""", "architectures[0]: unknown architecture x86_64")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_VAX"]}""", "names architecture vax, which libseccomp")]
    [InlineData("""{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}""", "has both architectures and archMap")]
    public void A_bad_profile_is_one_error_naming_the_file_and_the_fault(string json, string fault)
    {
        var message = Fault(json);
        Assert.StartsWith($"seccomp profile {Source}: ", message);
        Assert.Contains(fault, message);
    }

    [Fact]
    public void More_than_six_conditions_in_an_entry_are_refused()
    {
        var args = string.Join(", ", Enumerable.Range(0, 7).Select(i => $$"""{"index": {{i % 6}}, "value": {{i}}, "op": "SCMP_CMP_NE"}"""));
        Assert.Contains("7 argument conditions, at most 6", Fault(Profile($$"""{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{{args}}]}""")));
    }

    [Fact]
    public void Too_many_rules_or_conditions_are_refused_before_compiling()
    {
        var repeated = string.Join(", ", Enumerable.Repeat("""{"names": ["read"], "action": "SCMP_ACT_ALLOW"}""", SeccompProfile.MaxRulesPerSyscall + 1));
        Assert.Contains("syscalls[64]: over 64 rules on read", Fault(Profile(repeated)));
        var split = string.Join(", ", Enumerable.Range(0, 6).Select(i => $$"""{"index": 0, "value": {{i}}, "op": "SCMP_CMP_EQ"}"""));
        var oring = string.Join(", ", Enumerable.Repeat($$"""{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{{split}}]}""", 11));
        Assert.Contains("syscalls[10]: over 64 rules on personality", Fault(Profile(oring)));
        var names = string.Join(", ", Enumerable.Range(0, SeccompProfile.MaxRules + 1).Select(i => $"\"call{i}\""));
        Assert.Contains("syscalls[0]: over 2048 rules in all", Fault(Profile($$"""{"names": [{{names}}], "action": "SCMP_ACT_ALLOW"}""")));
        var entries = string.Join(", ", Enumerable.Range(0, SeccompProfile.MaxRules + 1).Select(i => $$"""{"names": ["call{{i}}"], "action": "SCMP_ACT_ALLOW"}"""));
        Assert.Contains("has 2049 syscalls entries", Fault(Profile(entries)));
        var six = string.Join(", ", Enumerable.Range(0, 6).Select(i => $$"""{"index": {{i}}, "value": 1, "op": "SCMP_CMP_NE"}"""));
        var conditions = string.Join(", ", Enumerable.Range(0, 43).Select(i => $$"""{"names": ["call{{i}}"], "action": "SCMP_ACT_ALLOW", "args": [{{six}}]}"""));
        Assert.Contains("syscalls[42]: over 256 argument conditions in all", Fault(Profile(conditions)));
    }

    [Fact]
    public void A_profile_over_1_MiB_is_refused_unread()
    {
        var json = Profile("", $"\"comment\": \"{new string('x', SeccompProfile.MaxBytes)}\",");
        Assert.Contains("is over 1 MiB", Fault(json));
        using var dir = new TempDir("seccomp-profile");
        var big = dir.Combine("big.json");
        File.WriteAllText(big, json);
        var e = Assert.Throws<LaunchException>(() => SeccompProfile.ReadFile(big));
        Assert.Equal($"seccomp profile {big}: is over 1 MiB", e.Message);
    }

    [Fact]
    public void Reading_a_profile_file_names_it_when_it_fails()
    {
        using var dir = new TempDir("seccomp-profile");
        var good = dir.Combine("good.json");
        File.WriteAllText(good, """{"defaultAction": "SCMP_ACT_ALLOW"}""");
        Assert.Equal("""{"defaultAction": "SCMP_ACT_ALLOW"}""", SeccompProfile.ReadFile(good));
        Assert.StartsWith($"seccomp profile {dir.Combine("missing.json")}: cannot be read", Assert.Throws<LaunchException>(() => SeccompProfile.ReadFile(dir.Combine("missing.json"))).Message);
        var binary = dir.Combine("binary.json");
        File.WriteAllBytes(binary, [0x7b, 0xff, 0xfe, 0x7d]);
        Assert.Equal($"seccomp profile {binary}: is not UTF-8", Assert.Throws<LaunchException>(() => SeccompProfile.ReadFile(binary)).Message);
    }

    [Fact]
    public void A_program_longer_than_the_kernel_takes_is_refused()
    {
        var rules = SeccompProfile.Parse(SeccompProfile.DefaultJson, Source);
        var length = SeccompProfile.Compile(rules, Source, 0, NativeArch.Current, Kernel).Length / 8;
        Assert.Equal(length, SeccompProfile.Compile(rules, Source, 0, NativeArch.Current, Kernel, maxInstructions: length).Length / 8);
        var e = Assert.Throws<LaunchException>(() => SeccompProfile.Compile(rules, Source, 0, NativeArch.Current, Kernel, maxInstructions: length - 1));
        Assert.Equal($"seccomp profile {Source}: compiles to {length} BPF instructions; the kernel takes at most {length - 1}", e.Message);
    }

    [Fact]
    public void The_default_profile_is_embedded_and_compiles_for_the_default_and_the_full_set()
    {
        var json = SeccompProfile.DefaultJson;
        Assert.Contains("\"defaultErrnoRet\": 1", json);
        var defaults = SeccompProfile.Compile(json, SeccompProfile.DefaultSource, Capabilities.DockerDefault);
        var all = SeccompProfile.Compile(json, SeccompProfile.DefaultSource, Capabilities.All);
        Assert.NotEqual(defaults, all);
        Assert.InRange(defaults.Length / 8, 100, SeccompProfile.MaxInstructions);
    }

    [Fact]
    public void The_default_profile_allows_none_of_what_docker_blocks_without_a_capability()
    {
        var rules = SeccompProfile.Parse(SeccompProfile.DefaultJson, SeccompProfile.DefaultSource);
        Assert.Equal(SeccompAction.Errno(Errno.EPERM), rules.DefaultAction);
        string[] blocked = ["mount", "umount2", "umount", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open",
            "ptrace", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
            "settimeofday", "stime", "clock_settime", "clock_adjtime", "adjtimex", "acct", "pivot_root", "open_by_handle_at",
            "name_to_handle_at", "userfaultfd", "syslog", "lookup_dcookie", "quotactl", "quotactl_fd", "fsopen", "fsmount", "fsconfig",
            "fspick", "move_mount", "open_tree", "mount_setattr", "io_uring_setup", "io_uring_enter", "io_uring_register",
            "create_module", "get_kernel_syms", "query_module", "nfsservctl", "uselib", "ustat", "sysfs", "_sysctl", "vm86", "vm86old",
            "bdflush", "iopl", "ioperm", "process_vm_readv", "process_vm_writev", "kcmp", "vhangup", "mbind", "set_mempolicy",
            "get_mempolicy", "move_pages", "migrate_pages"];
        var unconditional = rules.Rules
            .Where(r => r.Action == SeccompAction.Allow && r.Arguments.Length == 0 && r.AppliesTo(Capabilities.DockerDefault, Amd64, Kernel))
            .SelectMany(r => r.Names).ToHashSet();
        var allowed = blocked.Where(unconditional.Contains).ToList();
        Assert.True(allowed.Count == 0, "allowed: " + string.Join(", ", allowed));
        var conditional = rules.Rules.Where(r => r.Arguments.Length > 0 && r.AppliesTo(Capabilities.DockerDefault, Amd64, Kernel))
            .SelectMany(r => r.Names).Distinct().Order();
        Assert.Equal(["clone", "personality", "unshare"], conditional);
    }

    [Fact]
    public void The_containers_common_profile_compiles()
    {
        var program = SeccompProfile.Compile(SeccompProfile.ReadFile(ContainersCommon), ContainersCommon, Capabilities.DockerDefault);
        Assert.InRange(program.Length / 8, 100, SeccompProfile.MaxInstructions);
    }
}
