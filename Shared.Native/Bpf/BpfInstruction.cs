using System.Runtime.InteropServices;
using static Containet.Native.Interop.Libc;

namespace Containet.Native;

/// <summary>An eBPF register: R0 holds the result, R1 the program's context, R2-R5 and R6-R9 are free.</summary>
public enum BpfRegister : byte { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 }

/// <summary>
/// One eBPF instruction (struct bpf_insn), built only through the few forms a cgroup device program needs, so
/// the opcodes stay here. Jumps count instructions to skip, as the kernel does.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction
{
    private readonly byte code;
    private readonly byte registers; // destination in the low nibble, source in the high one
    private readonly short offset;
    private readonly int immediate;

    private BpfInstruction(byte code, BpfRegister destination, BpfRegister source, short offset, int immediate)
    {
        this.code = code;
        registers = (byte)((byte)destination | ((byte)source << 4));
        this.offset = offset;
        this.immediate = immediate;
    }

    public byte Code => code;
    public BpfRegister Destination => (BpfRegister)(registers & 0xf);
    public BpfRegister Source => (BpfRegister)(registers >> 4);
    public short Offset => offset;
    public int Immediate => immediate;

    /// <summary>destination = *(u32 *)(source + offset), zero-extended.</summary>
    public static BpfInstruction LoadWord(BpfRegister destination, BpfRegister source, short offset) =>
        new(BPF_LDX | BPF_MEM | BPF_W, destination, source, offset, 0);

    /// <summary>destination = value (32-bit, zero-extended).</summary>
    public static BpfInstruction Move32(BpfRegister destination, int value) => new(BPF_ALU | BPF_MOV | BPF_K, destination, 0, 0, value);

    /// <summary>destination = source (32-bit, zero-extended).</summary>
    public static BpfInstruction Move32(BpfRegister destination, BpfRegister source) =>
        new(BPF_ALU | BPF_MOV | BPF_X, destination, source, 0, 0);

    /// <summary>destination &amp;= value (32-bit).</summary>
    public static BpfInstruction And32(BpfRegister destination, int value) => new(BPF_ALU | BPF_AND | BPF_K, destination, 0, 0, value);

    /// <summary>destination &gt;&gt;= value (32-bit, logical).</summary>
    public static BpfInstruction RightShift32(BpfRegister destination, int value) => new(BPF_ALU | BPF_RSH | BPF_K, destination, 0, 0, value);

    /// <summary>Skips <paramref name="skip"/> instructions when the register equals the value.</summary>
    public static BpfInstruction JumpIfEqual(BpfRegister register, int value, short skip) => new(BPF_JMP | BPF_JEQ | BPF_K, register, 0, skip, value);

    /// <summary>Skips <paramref name="skip"/> instructions when the register differs from the value.</summary>
    public static BpfInstruction JumpIfNotEqual(BpfRegister register, int value, short skip) => new(BPF_JMP | BPF_JNE | BPF_K, register, 0, skip, value);

    /// <summary>Ends the program with R0 as its result.</summary>
    public static BpfInstruction Exit() => new(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}
