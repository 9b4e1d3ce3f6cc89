using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>What a seccomp filter does with a matching call (the kernel's SECCOMP_RET_* with its data).</summary>
public readonly record struct SeccompAction(uint Value)
{
    public static SeccompAction Allow { get; } = new(Libseccomp.SCMP_ACT_ALLOW);
    public static SeccompAction KillThread { get; } = new(Libseccomp.SCMP_ACT_KILL_THREAD);
    public static SeccompAction KillProcess { get; } = new(Libseccomp.SCMP_ACT_KILL_PROCESS);
    public static SeccompAction Trap { get; } = new(Libseccomp.SCMP_ACT_TRAP);
    public static SeccompAction Log { get; } = new(Libseccomp.SCMP_ACT_LOG);

    /// <summary>The call fails with this errno (0 to 4095) without running.</summary>
    public static SeccompAction Errno(int errno) => new(Libseccomp.SCMP_ACT_ERRNO | CheckData(errno));

    /// <summary>A ptrace tracer is told, with this value in PTRACE_GETEVENTMSG.</summary>
    public static SeccompAction Trace(int message) => new(Libseccomp.SCMP_ACT_TRACE | CheckData(message));

    private static uint CheckData(int value) =>
        value is >= 0 and <= 4095 ? (uint)value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be 0 to 4095");
}

/// <summary>libseccomp's argument comparisons (enum scmp_compare).</summary>
public enum SeccompCompare
{
    NotEqual = 1,
    LessThan = 2,
    LessOrEqual = 3,
    Equal = 4,
    GreaterOrEqual = 5,
    GreaterThan = 6,
    /// <summary>(argument &amp; Value) == ValueTwo.</summary>
    MaskedEqual = 7,
}

/// <summary>One condition on a syscall argument (0 to 5).</summary>
public readonly record struct SeccompArgument(int Index, SeccompCompare Op, ulong Value, ulong ValueTwo = 0);

/// <summary>
/// A seccomp filter compiled by libseccomp, as runc and crun build theirs: a default action, the
/// architectures it covers (the native one always) and rules; <see cref="Export"/> gives the BPF program
/// (struct sock_filter[]) that seccomp(SECCOMP_SET_MODE_FILTER) loads.
/// </summary>
public sealed unsafe class SeccompFilter : IDisposable
{
    public const int MaxArguments = 6;

    private readonly SeccompContext context;

    public SeccompAction DefaultAction { get; }

    public SeccompFilter(SeccompAction defaultAction)
    {
        DefaultAction = defaultAction;
        context = new SeccompContext(Libseccomp.seccomp_init(defaultAction.Value));
        // libseccomp says nothing about why; a bad default action is the only cause besides memory.
        if (context.IsInvalid) throw new NativeException(Errno.EINVAL, "seccomp_init", $"default action 0x{defaultAction.Value:x8}");
        // A binary tree of syscall numbers rather than a list: each syscall, and the kernel's walk over every number
        // when it loads the filter (its action cache), take a few comparisons instead of hundreds. An older
        // libseccomp without the attribute keeps its list.
        Libseccomp.seccomp_attr_set(context, Libseccomp.SCMP_FLTATR_CTL_OPTIMIZE, 2);
    }

    /// <summary>libseccomp's version, e.g. "2.5.4": compiled programs may differ between versions.</summary>
    public static string LibraryVersion { get; } = ReadVersion();

    /// <summary>
    /// Adds an architecture by libseccomp's name ("x86_64", "x86", "x32", "aarch64", "arm", ...); false if
    /// libseccomp does not know the name. Adding one already present (the native one) is not an error.
    /// </summary>
    public bool AddArchitecture(string name)
    {
        var token = Libseccomp.seccomp_arch_resolve_name(name);
        if (token == 0) return false;
        var rc = Libseccomp.seccomp_arch_add(context, token);
        if (rc != -Errno.EEXIST) Check(rc, "seccomp_arch_add", name);
        return true;
    }

    /// <summary>
    /// Adds a rule: the call, on every architecture of the filter that has it, gets <paramref name="action"/>
    /// when all the <paramref name="arguments"/> conditions hold. False when the rule is skipped, as runc skips
    /// it: libseccomp does not know the name, or the action is the default one (libseccomp refuses that).
    /// </summary>
    public bool AddRule(string syscall, SeccompAction action, ReadOnlySpan<SeccompArgument> arguments = default)
    {
        if (arguments.Length > MaxArguments)
            throw new NativeException(Errno.EINVAL, "seccomp_rule_add", $"{syscall}: {arguments.Length} conditions, at most {MaxArguments}");
        if (action == DefaultAction) return false;
        var number = Libseccomp.seccomp_syscall_resolve_name(syscall);
        if (number == Libseccomp.__NR_SCMP_ERROR) return false;
        var conditions = stackalloc Libseccomp.ScmpArgCmp[MaxArguments];
        for (var i = 0; i < arguments.Length; i++)
            conditions[i] = new Libseccomp.ScmpArgCmp
            {
                Arg = (uint)arguments[i].Index,
                Op = (int)arguments[i].Op,
                DatumA = arguments[i].Value,
                DatumB = arguments[i].ValueTwo,
            };
        Check(Libseccomp.seccomp_rule_add_array(context, action.Value, number, (uint)arguments.Length, conditions), "seccomp_rule_add", syscall);
        return true;
    }

    /// <summary>The BPF program: struct sock_filter[] (8 bytes an instruction), through a memfd.</summary>
    public byte[] Export()
    {
        using var fd = SafeFd.Check(Libc.memfd_create("seccomp-bpf", Libc.MFD_CLOEXEC), "memfd_create");
        Check(Libseccomp.seccomp_export_bpf(context, fd), "seccomp_export_bpf");
        var length = NativeException.Check(Libc.lseek(fd, 0, Libc.SEEK_END), "lseek", "seccomp-bpf");
        var program = new byte[length];
        fixed (byte* p = program)
        {
            // A memfd is shared memory: one read returns all of it.
            var n = NativeException.Check((long)Libc.pread(fd, p, (nuint)length, 0), "pread", "seccomp-bpf");
            if (n != length) throw new NativeException(Errno.EIO, "pread", $"seccomp-bpf: {n} of {length} bytes");
        }
        return program;
    }

    public void Dispose() => context.Dispose();

    private static int Check(int rc, string call, string? subject = null) =>
        rc < 0 ? throw new NativeException(-rc, call, subject) : rc;

    private static string ReadVersion()
    {
        var v = Libseccomp.seccomp_version();
        return $"{v->Major}.{v->Minor}.{v->Micro}";
    }
}
