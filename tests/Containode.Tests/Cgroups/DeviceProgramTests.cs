using Containet.Native;
using Containode.Cgroups;
using Xunit;
using static Containet.Native.Interop.Libc;

namespace Containode.Tests.Cgroups;

/// <summary>
/// The v2 device program's verdicts, run through a small interpreter of the instructions it uses, against
/// what the v1 controller decides for the same rules. The kernel's verifier and its verdicts on real opens are
/// in <see cref="RealCgroupTests"/>.
/// </summary>
public sealed class DeviceProgramTests
{
    private const DeviceAccess R = DeviceAccess.Read, W = DeviceAccess.Write, M = DeviceAccess.Mknod, RW = R | W;

    private static readonly DeviceRule DenyNullWrites = new(DeviceType.Char, 1, 3, W, allow: false);
    private static readonly DeviceRule DenyKmsg = new(DeviceType.Char, 1, 11, DeviceAccess.All, allow: false);
    private static readonly DeviceRule DenyCharWrites = new(DeviceType.Char, null, null, W, allow: false);

    public static TheoryData<string, DeviceType, uint, uint, DeviceAccess, bool> Default() => new()
    {
        { "open /dev/null", DeviceType.Char, 1, 3, RW, true },
        { "make /dev/null", DeviceType.Char, 1, 3, M, true },
        { "open /dev/urandom", DeviceType.Char, 1, 9, R, true },
        { "open /dev/ptmx", DeviceType.Char, 5, 2, RW, true },
        { "open a pty", DeviceType.Char, 136, 77, RW, true },
        { "open /dev/kmsg", DeviceType.Char, 1, 11, R, false },
        { "make /dev/kmsg", DeviceType.Char, 1, 11, M, true },
        { "open /dev/net/tun", DeviceType.Char, 10, 200, RW, false },
        { "open /dev/mem", DeviceType.Char, 1, 1, R, false },
        { "open a disk", DeviceType.Block, 8, 0, R, false },
        { "make a disk", DeviceType.Block, 8, 0, M, true },
        { "open a block device numbered like /dev/null", DeviceType.Block, 1, 3, R, false },
        { "open the pty master's neighbour", DeviceType.Char, 5, 3, R, false },
        { "ask nothing of a node it knows", DeviceType.Char, 1, 3, DeviceAccess.None, true },
        { "ask nothing of a node it does not know", DeviceType.Block, 8, 0, DeviceAccess.None, true },
    };

    [Theory]
    [MemberData(nameof(Default))]
    public void The_default_rules(string what, DeviceType type, uint major, uint minor, DeviceAccess access, bool allowed) =>
        Assert.True(allowed == Decide(DeviceRules.Default, type, major, minor, access), what);

    [Theory]
    [InlineData(DeviceType.Char, 1u, 11u, RW)]
    [InlineData(DeviceType.Block, 8u, 0u, RW)]
    [InlineData(DeviceType.Char, 4095u, 1048575u, M)]
    public void Privileged_allows_everything(DeviceType type, uint major, uint minor, DeviceAccess access) =>
        Assert.True(Decide(DeviceRules.For(privileged: true, []), type, major, minor, access));

    [Fact]
    public void A_later_deny_takes_access_away_from_an_earlier_allow()
    {
        DeviceRule[] rules = [.. DeviceRules.Default, DenyNullWrites];

        Assert.True(Decide(rules, DeviceType.Char, 1, 3, R));
        Assert.False(Decide(rules, DeviceType.Char, 1, 3, W));
        Assert.False(Decide(rules, DeviceType.Char, 1, 3, RW));
        Assert.True(Decide(rules, DeviceType.Char, 1, 5, RW));
    }

    [Fact]
    public void After_allow_all_a_deny_refuses_any_of_its_access()
    {
        DeviceRule[] kmsg = [DeviceRule.AllowAll, DenyKmsg];
        DeviceRule[] writes = [DeviceRule.AllowAll, DenyCharWrites];

        Assert.False(Decide(kmsg, DeviceType.Char, 1, 11, R));
        Assert.True(Decide(kmsg, DeviceType.Char, 1, 11, DeviceAccess.None));
        Assert.True(Decide(kmsg, DeviceType.Char, 1, 3, RW));
        Assert.False(Decide(writes, DeviceType.Char, 1, 3, RW));
        Assert.True(Decide(writes, DeviceType.Char, 1, 3, R));
        Assert.True(Decide(writes, DeviceType.Block, 8, 0, W));
    }

    [Fact]
    public void Access_must_be_granted_by_one_exception_as_in_v1()
    {
        DeviceRule[] rules = [new(DeviceType.Char, 1, 3, R), new(DeviceType.Char, 1, null, W)];

        Assert.True(Decide(rules, DeviceType.Char, 1, 3, R));
        Assert.True(Decide(rules, DeviceType.Char, 1, 3, W));
        Assert.False(Decide(rules, DeviceType.Char, 1, 3, RW));
    }

    [Fact]
    public void Without_rules_the_program_denies_and_stays_short()
    {
        var program = DeviceProgram.Build([]);

        Assert.Equal(8, program.Length);
        Assert.False(Run(program, CgroupDeviceProgram.Char, CgroupDeviceProgram.Read, 1, 3));
    }

    private static bool Decide(IEnumerable<DeviceRule> rules, DeviceType type, uint major, uint minor, DeviceAccess access) =>
        Run(DeviceProgram.Build(rules), type == DeviceType.Block ? CgroupDeviceProgram.Block : CgroupDeviceProgram.Char, (int)access, major, minor);

    /// <summary>Runs a device program on one request, as the kernel would with struct bpf_cgroup_dev_ctx in R1.</summary>
    private static bool Run(BpfInstruction[] program, int type, int access, uint major, uint minor)
    {
        var context = new uint[] { (uint)(access << 16 | type), major, minor };
        var r = new ulong[11];
        for (var pc = 0; pc < program.Length; pc++)
        {
            var i = program[pc];
            ref var dst = ref r[(int)i.Destination];
            var taken = false;
            switch (i.Code)
            {
                case BPF_LDX | BPF_MEM | BPF_W:
                    Assert.Equal(BpfRegister.R1, i.Source);
                    dst = context[i.Offset / 4];
                    break;
                case BPF_ALU | BPF_MOV | BPF_K: dst = (uint)i.Immediate; break;
                case BPF_ALU | BPF_MOV | BPF_X: dst = (uint)r[(int)i.Source]; break;
                case BPF_ALU | BPF_AND | BPF_K: dst = (uint)dst & (uint)i.Immediate; break;
                case BPF_ALU | BPF_RSH | BPF_K: dst = (uint)dst >> i.Immediate; break;
                case BPF_JMP | BPF_JEQ | BPF_K: taken = dst == (ulong)(long)i.Immediate; break;
                case BPF_JMP | BPF_JNE | BPF_K: taken = dst != (ulong)(long)i.Immediate; break;
                case BPF_JMP | BPF_EXIT:
                    Assert.True(r[0] <= 1, "a device program returns 0 or 1");
                    return r[0] == 1;
                default: throw new InvalidOperationException($"instruction {i.Code:x2} is not one a device program uses");
            }
            if (taken) pc += i.Offset;
            Assert.InRange(pc + 1, 0, program.Length - 1);
        }
        throw new InvalidOperationException("the program ran past its end");
    }
}
