using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>
/// seccomp.h from libseccomp, the filter compiler runc and crun use. Its calls return -errno rather than
/// setting errno; seccomp_init returns NULL and the name lookups return a sentinel instead.
/// </summary>
internal static unsafe partial class Libseccomp
{
    private const string Library = "libseccomp.so.2";

    public const uint SCMP_ACT_KILL_PROCESS = 0x80000000, SCMP_ACT_KILL_THREAD = 0, SCMP_ACT_TRAP = 0x00030000,
        SCMP_ACT_ERRNO = 0x00050000, SCMP_ACT_TRACE = 0x7ff00000, SCMP_ACT_LOG = 0x7ffc0000, SCMP_ACT_ALLOW = 0x7fff0000;

    /// <summary>What seccomp_syscall_resolve_name returns for a name it does not know.</summary>
    public const int __NR_SCMP_ERROR = -1;

    [StructLayout(LayoutKind.Sequential)]
    public struct ScmpArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ScmpVersion { public uint Major, Minor, Micro; }

    [LibraryImport(Library)]
    public static partial nint seccomp_init(uint defaultAction);

    [LibraryImport(Library)]
    public static partial void seccomp_release(nint ctx);

    /// <summary>enum scmp_filter_attr: how the filter is laid out; 2 sorts the syscalls into a binary tree (libseccomp 2.5).</summary>
    public const int SCMP_FLTATR_CTL_OPTIMIZE = 8;

    [LibraryImport(Library)]
    public static partial int seccomp_attr_set(SeccompContext ctx, int attribute, uint value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(Library)]
    public static partial int seccomp_arch_add(SeccompContext ctx, uint archToken);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Library)]
    public static partial int seccomp_rule_add_array(SeccompContext ctx, uint action, int syscall, uint argCount, ScmpArgCmp* args);

    [LibraryImport(Library)]
    public static partial int seccomp_export_bpf(SeccompContext ctx, SafeFd fd);

    [LibraryImport(Library)]
    public static partial ScmpVersion* seccomp_version();
}

/// <summary>A libseccomp filter context (scmp_filter_ctx), released with seccomp_release.</summary>
internal sealed class SeccompContext : SafeHandle
{
    public SeccompContext() : base(IntPtr.Zero, ownsHandle: true) { }

    public SeccompContext(nint ctx) : this() => SetHandle(ctx);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Libseccomp.seccomp_release(handle);
        return true;
    }
}
