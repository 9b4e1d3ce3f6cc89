using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

public sealed class SeccompFilterTests(SeccompRunner runner) : IClassFixture<SeccompRunner>
{
    private const ulong OCreat = 0x40;

    [Fact]
    public void The_program_is_whole_sock_filter_instructions_and_grows_with_rules()
    {
        using var empty = new SeccompFilter(SeccompAction.Allow);
        using var one = new SeccompFilter(SeccompAction.Allow);
        Assert.True(one.AddRule("mkdir", SeccompAction.Errno(Errno.EPERM)));
        var a = empty.Export();
        var b = one.Export();
        Assert.True(a.Length > 0 && a.Length % 8 == 0);
        Assert.True(b.Length > a.Length && b.Length % 8 == 0);
    }

    [Fact]
    public void An_unknown_syscall_and_a_rule_with_the_default_action_are_skipped_as_runc_skips_them()
    {
        using var filter = new SeccompFilter(SeccompAction.Errno(Errno.EPERM));
        var before = filter.Export();
        Assert.False(filter.AddRule("no_such_syscall_containet", SeccompAction.Allow));
        Assert.False(filter.AddRule("mkdir", SeccompAction.Errno(Errno.EPERM)));
        Assert.Equal(before, filter.Export());
        Assert.True(filter.AddRule("mkdir", SeccompAction.Errno(Errno.EACCES)));
    }

    [Fact]
    public void Architectures_go_by_libseccomp_names_and_the_native_one_may_be_named_again()
    {
        using var filter = new SeccompFilter(SeccompAction.Allow);
        Assert.True(filter.AddArchitecture("x86"));
        Assert.True(filter.AddArchitecture("x86_64"));
        Assert.False(filter.AddArchitecture("vax"));
    }

    [Fact]
    public void A_bad_argument_index_or_too_many_conditions_is_EINVAL_naming_the_syscall()
    {
        using var filter = new SeccompFilter(SeccompAction.Allow);
        var e = Assert.Throws<NativeException>(() =>
            filter.AddRule("openat", SeccompAction.Errno(Errno.EPERM), [new SeccompArgument(6, SeccompCompare.Equal, 0)]));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("openat", e.Message);
        var seven = Enumerable.Range(0, 7).Select(i => new SeccompArgument(i % 6, SeccompCompare.Equal, 0)).ToArray();
        Assert.Equal(Errno.EINVAL, Assert.Throws<NativeException>(() => filter.AddRule("openat", SeccompAction.Log, seven)).Errno);
    }

    [Fact]
    public void A_default_action_the_kernel_has_not_is_EINVAL()
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<NativeException>(() => new SeccompFilter(new SeccompAction(0x12340000))).Errno);
    }

    [Fact]
    public void Errno_and_trace_data_are_checked()
    {
        Assert.Equal(0x00050001u, SeccompAction.Errno(1).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno(4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Trace(-1));
    }

    [Fact]
    public void The_library_version_is_known()
    {
        Assert.Matches(@"^2\.\d+\.\d+$", SeccompFilter.LibraryVersion);
    }

    [Fact]
    public void A_filter_blocking_mkdir_makes_busybox_mkdir_fail_with_EPERM_while_ls_works()
    {
        using var filter = new SeccompFilter(SeccompAction.Allow);
        filter.AddRule("mkdir", SeccompAction.Errno(Errno.EPERM));
        filter.AddRule("mkdirat", SeccompAction.Errno(Errno.EPERM));
        var program = filter.Export();
        var target = Path.Combine(runner.Dir, "made-" + Unique.Name());

        var blocked = runner.Run(program, "/bin/busybox", "mkdir", target);
        Assert.NotEqual(0, blocked.ExitCode);
        Assert.Contains("Operation not permitted", blocked.Stderr);
        Assert.False(Directory.Exists(target));
        Assert.Contains("bin", runner.Run(program, "/bin/busybox", "ls", "/").EnsureSuccess().Stdout);

        Run.Command("/bin/busybox", "mkdir", target).EnsureSuccess();
        Assert.True(Directory.Exists(target), "without the filter the same mkdir works");
    }

    [Fact]
    public void A_masked_argument_condition_blocks_only_the_calls_it_matches()
    {
        using var filter = new SeccompFilter(SeccompAction.Allow);
        Assert.True(filter.AddRule("openat", SeccompAction.Errno(Errno.EACCES), [new SeccompArgument(2, SeccompCompare.MaskedEqual, OCreat, OCreat)]));
        Assert.True(filter.AddRule("open", SeccompAction.Errno(Errno.EACCES), [new SeccompArgument(1, SeccompCompare.MaskedEqual, OCreat, OCreat)]));
        var program = filter.Export();
        var existing = Path.Combine(runner.Dir, "existing-" + Unique.Name());
        File.WriteAllText(existing, "kept");
        var created = Path.Combine(runner.Dir, "created-" + Unique.Name());

        Assert.Equal("kept", runner.Run(program, "/bin/busybox", "cat", existing).EnsureSuccess().Stdout.Trim());
        var touch = runner.Run(program, "/bin/busybox", "touch", created);
        Assert.NotEqual(0, touch.ExitCode);
        Assert.Contains("Permission denied", touch.Stderr);
        Assert.False(File.Exists(created));
    }
}
