using Containet.Native;
using static Containet.Native.BpfInstruction;
using static Containet.Native.BpfRegister;

namespace Containode.Cgroups;

/// <summary>
/// Compiles device rules into a cgroup v2 device program, as runc's devicefilter and crun's ebpf.c do: the
/// program reads the request into registers, then tests each exception of <see cref="DeviceExceptions"/> in
/// turn (type, access, major, minor) and returns its verdict on the first match, else the default.
/// </summary>
internal static class DeviceProgram
{
    public static BpfInstruction[] Build(IEnumerable<DeviceRule> rules)
    {
        var table = DeviceExceptions.Of(rules);
        var program = new List<BpfInstruction>
        {
            LoadWord(R2, R1, CgroupDeviceProgram.AccessTypeOffset), // R2: the node's type
            And32(R2, 0xffff),
            LoadWord(R3, R1, CgroupDeviceProgram.AccessTypeOffset), // R3: the access asked for
            RightShift32(R3, 16),
            LoadWord(R4, R1, CgroupDeviceProgram.MajorOffset),
            LoadWord(R5, R1, CgroupDeviceProgram.MinorOffset),
        };
        foreach (var exception in table.Exceptions) AddException(program, exception, table.DefaultAllow);
        program.Add(Move32(R0, table.DefaultAllow ? 1 : 0));
        program.Add(Exit());
        return [.. program];
    }

    /// <summary>A block that ends the program with the exception's verdict when the request matches it; each failed check skips to the next block.</summary>
    private static void AddException(List<BpfInstruction> program, DeviceRule exception, bool defaultAllow)
    {
        // Where the default denies, an exception grants when it covers all the access asked for (a check that
        // "rwm" makes moot); where it allows, an exception refuses when it covers any of it, as v1 matches them.
        var checksAccess = defaultAllow || exception.Access != DeviceAccess.All;
        var length = 1 + (checksAccess ? 3 : 0) + (exception.Major is null ? 0 : 1) + (exception.Minor is null ? 0 : 1) + 2;
        var start = program.Count;
        short ToEnd() => (short)(length - 1 - (program.Count - start));

        program.Add(JumpIfNotEqual(R2, exception.Type == DeviceType.Block ? CgroupDeviceProgram.Block : CgroupDeviceProgram.Char, ToEnd()));
        if (checksAccess)
        {
            program.Add(Move32(R6, R3));
            if (defaultAllow)
            {
                program.Add(And32(R6, (int)exception.Access));
                program.Add(JumpIfEqual(R6, 0, ToEnd()));
            }
            else
            {
                program.Add(And32(R6, (int)(DeviceAccess.All & ~exception.Access)));
                program.Add(JumpIfNotEqual(R6, 0, ToEnd()));
            }
        }
        if (exception.Major is { } major) program.Add(JumpIfNotEqual(R4, (int)major, ToEnd()));
        if (exception.Minor is { } minor) program.Add(JumpIfNotEqual(R5, (int)minor, ToEnd()));
        program.Add(Move32(R0, defaultAllow ? 0 : 1));
        program.Add(Exit());
    }
}
