using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>linux/bpf.h: loading a cgroup device program and attaching it to a cgroup, nothing more.</summary>
internal static unsafe partial class Libc
{
    public static long SYS_bpf => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;

    public const int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8;
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    public const int BPF_OBJ_NAME_LEN = 16;

    // Instruction classes, sizes, modes, operations and sources (linux/bpf_common.h, linux/bpf.h).
    public const byte BPF_LDX = 0x01, BPF_ALU = 0x04, BPF_JMP = 0x05, BPF_W = 0x00, BPF_MEM = 0x60, BPF_K = 0x00,
        BPF_X = 0x08, BPF_AND = 0x50, BPF_RSH = 0x70, BPF_MOV = 0xb0, BPF_JEQ = 0x10, BPF_JNE = 0x50, BPF_EXIT = 0x90;

    // struct bpf_cgroup_dev_ctx: access_type is (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*, then major and minor.
    public const int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4,
        BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;
    public const short DevCgAccessTypeOffset = 0, DevCgMajorOffset = 4, DevCgMinorOffset = 8;

    /// <summary>The BPF_PROG_LOAD part of union bpf_attr, up to expected_attach_type; the kernel zero-fills the rest.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgLoadAttr
    {
        public uint ProgType;
        public uint InsnCount;
        public ulong Insns;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuf;
        public uint KernVersion;
        public uint ProgFlags;
        public fixed byte ProgName[BPF_OBJ_NAME_LEN];
        public uint ProgIfindex;
        public uint ExpectedAttachType;
    }

    /// <summary>The BPF_PROG_ATTACH part of union bpf_attr, up to attach_flags.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgAttachAttr
    {
        public uint TargetFd;
        public uint AttachBpfFd;
        public uint AttachType;
        public uint AttachFlags;
    }

    // glibc has no bpf() wrapper; syscall(2) takes the integer arguments as they are.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_bpf(long number, int cmd, void* attr, uint size);
}
