using System.Runtime.InteropServices;
using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A cgroup v2 device program (BPF_PROG_TYPE_CGROUP_DEVICE): the kernel runs it on every open and mknod of a
/// device node by a process in the cgroup, with R1 pointing at the request, and refuses the access (EPERM)
/// unless it returns 1. This is how cgroup v2 replaces v1's devices controller.
/// </summary>
public static unsafe class CgroupDeviceProgram
{
    /// <summary>Where the request's fields sit in struct bpf_cgroup_dev_ctx, for loads from R1.</summary>
    public const short AccessTypeOffset = Libc.DevCgAccessTypeOffset, MajorOffset = Libc.DevCgMajorOffset, MinorOffset = Libc.DevCgMinorOffset;

    /// <summary>The low 16 bits of access_type: the node's type.</summary>
    public const int Block = Libc.BPF_DEVCG_DEV_BLOCK, Char = Libc.BPF_DEVCG_DEV_CHAR;

    /// <summary>The high 16 bits of access_type: what the process asks for.</summary>
    public const int Mknod = Libc.BPF_DEVCG_ACC_MKNOD, Read = Libc.BPF_DEVCG_ACC_READ, Write = Libc.BPF_DEVCG_ACC_WRITE;

    private const string Name = "containet_dev";
    private const int LogSize = 64 * 1024;

    /// <summary>
    /// Loads a program (bpf BPF_PROG_LOAD). When the verifier refuses it, the error carries the verifier's last
    /// complaint, from a second load with the log on.
    /// </summary>
    public static SafeFd Load(ReadOnlySpan<BpfInstruction> program)
    {
        var fd = TryLoad(program, null, out var errno);
        if (fd >= 0) return new SafeFd(fd);
        var log = new byte[LogSize];
        fd = TryLoad(program, log, out _);
        if (fd >= 0) return new SafeFd(fd); // refused once, accepted on the second try: nothing to report
        var reason = Reason(log);
        throw new NativeException(errno, "bpf BPF_PROG_LOAD", reason is null ? "device program" : $"device program (verifier: {reason})");
    }

    /// <summary>
    /// Attaches a loaded program to a cgroup v2 directory (bpf BPF_PROG_ATTACH, BPF_CGROUP_DEVICE). With
    /// BPF_F_ALLOW_MULTI the programs of the cgroups above still run, so a container gets no more than its
    /// parent allows. The cgroup holds the program from then on: the fd may be closed.
    /// </summary>
    public static void Attach(SafeFd program, SafeFd cgroupDirectory)
    {
        var attr = new Libc.BpfProgAttachAttr
        {
            TargetFd = (uint)cgroupDirectory.Number,
            AttachBpfFd = (uint)program.Number,
            AttachType = Libc.BPF_CGROUP_DEVICE,
            AttachFlags = Libc.BPF_F_ALLOW_MULTI,
        };
        NativeException.Check(Libc.syscall_bpf(Libc.SYS_bpf, Libc.BPF_PROG_ATTACH, &attr, (uint)sizeof(Libc.BpfProgAttachAttr)),
            "bpf BPF_PROG_ATTACH", "device program");
    }

    private static int TryLoad(ReadOnlySpan<BpfInstruction> program, byte[]? log, out int errno)
    {
        // No helper is called, so the licence string only has to be one the kernel knows.
        var license = "GPL\0"u8;
        fixed (BpfInstruction* insns = program)
        fixed (byte* l = license)
        fixed (byte* logBuffer = log)
        {
            var attr = new Libc.BpfProgLoadAttr
            {
                ProgType = Libc.BPF_PROG_TYPE_CGROUP_DEVICE,
                InsnCount = (uint)program.Length,
                Insns = (ulong)insns,
                License = (ulong)l,
                LogLevel = log is null ? 0u : 1u,
                LogSize = log is null ? 0u : (uint)log.Length,
                LogBuf = (ulong)logBuffer,
            };
            Encoding.ASCII.GetBytes(Name, new Span<byte>(attr.ProgName, Libc.BPF_OBJ_NAME_LEN - 1));
            var fd = (int)Libc.syscall_bpf(Libc.SYS_bpf, Libc.BPF_PROG_LOAD, &attr, (uint)sizeof(Libc.BpfProgLoadAttr));
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
    }

    /// <summary>The verifier's complaint: the last line of its log before its closing statistics.</summary>
    private static string? Reason(byte[] log)
    {
        var end = Array.IndexOf(log, (byte)0);
        var lines = Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.LastOrDefault(l => !l.StartsWith("processed ", StringComparison.Ordinal));
    }
}
