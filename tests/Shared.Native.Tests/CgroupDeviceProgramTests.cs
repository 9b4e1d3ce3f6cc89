using Containet.Native;
using Containet.TestSupport;
using Xunit;
using static Containet.Native.BpfInstruction;
using static Containet.Native.BpfRegister;

namespace Shared.Native.Tests;

/// <summary>Loading device programs into the kernel: what the verifier takes and how its refusal reads.</summary>
public sealed class CgroupDeviceProgramTests
{
    [RootFact]
    public void A_program_that_returns_a_verdict_loads()
    {
        using var program = CgroupDeviceProgram.Load([Move32(R0, 1), Exit()]);

        Assert.False(program.IsInvalid);
        Assert.StartsWith("anon_inode:bpf-prog", new FileInfo($"/proc/self/fd/{program.Number}").LinkTarget);
        Assert.Contains("prog_type:\t15", File.ReadAllText($"/proc/self/fdinfo/{program.Number}"));
    }

    [RootFact]
    public void A_program_the_verifier_refuses_is_an_error_with_its_reason()
    {
        // R0 is never set: the verifier will not let the program return it.
        var e = Assert.Throws<NativeException>(() => CgroupDeviceProgram.Load([Exit()]));

        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.StartsWith("bpf BPF_PROG_LOAD device program (verifier: ", e.Message);
        Assert.Contains("R0 !read_ok", e.Message);
    }

    [RootFact]
    public void A_program_reading_past_the_request_is_refused()
    {
        var e = Assert.Throws<NativeException>(() => CgroupDeviceProgram.Load([LoadWord(R0, R1, 12), Exit()]));

        Assert.Equal(Errno.EACCES, e.Errno);
    }

    [RootFact]
    public void Attaching_to_something_that_is_not_a_cgroup_is_an_error()
    {
        using var dir = new TempDir("containet-test-notcgroup");
        using var program = CgroupDeviceProgram.Load([Move32(R0, 1), Exit()]);
        using var fd = FileNodes.OpenDirectory(dir.Path);

        var e = Assert.Throws<NativeException>(() => CgroupDeviceProgram.Attach(program, fd));

        Assert.Equal(Errno.EBADF, e.Errno);
        Assert.StartsWith("bpf BPF_PROG_ATTACH", e.Message);
    }

    [Fact]
    public void Instructions_pack_their_registers_as_struct_bpf_insn_does()
    {
        var i = LoadWord(R4, R1, 8);

        Assert.Equal(R4, i.Destination);
        Assert.Equal(R1, i.Source);
        Assert.Equal(8, i.Offset);
        Assert.Equal(0x61, i.Code);
        Assert.Equal(-1, JumpIfNotEqual(R5, -1, 3).Immediate);
    }
}
