using System.Text;
using Containet.Native;

namespace Containode.Cgroups;

/// <summary>Which nodes a rule is about: every device ('a'), character ('c') or block ('b') devices.</summary>
public enum DeviceType { All, Char, Block }

/// <summary>What a process may do with a node: create it (mknod), open it for reading, for writing.</summary>
[Flags]
public enum DeviceAccess
{
    None = 0,
    Mknod = CgroupDeviceProgram.Mknod,
    Read = CgroupDeviceProgram.Read,
    Write = CgroupDeviceProgram.Write,
    All = Mknod | Read | Write,
}

/// <summary>
/// One line of a device cgroup's rules, as v1's devices.allow and devices.deny take it ("c 136:* rwm"): a type,
/// a major and a minor number (null for any), the access it is about, and whether it allows or denies it.
/// A rule for every device ('a') always means every number and every access, as in v1.
/// </summary>
public readonly record struct DeviceRule
{
    public const uint MaxMajor = 0xfff, MaxMinor = 0xfffff;

    public DeviceType Type { get; }
    public uint? Major { get; }
    public uint? Minor { get; }
    public DeviceAccess Access { get; }
    public bool Allow { get; }

    public DeviceRule(DeviceType type, uint? major, uint? minor, DeviceAccess access, bool allow = true)
    {
        if (type == DeviceType.All && (major is not null || minor is not null || access != DeviceAccess.All))
            throw new ArgumentException("a rule for every device ('a') covers every number and access");
        if (major > MaxMajor || minor > MaxMinor)
            throw new ArgumentException($"device {major}:{minor} is out of range (major ≤ {MaxMajor}, minor ≤ {MaxMinor})");
        if (access == DeviceAccess.None || (access & ~DeviceAccess.All) != 0)
            throw new ArgumentException("a device rule's access is some of r, w and m");
        (Type, Major, Minor, Access, Allow) = (type, major, minor, access, allow);
    }

    /// <summary>Every device, every access: --privileged's rule.</summary>
    public static DeviceRule AllowAll { get; } = new(DeviceType.All, null, null, DeviceAccess.All);

    /// <summary>"rwm" and its subsets, in any order.</summary>
    public static DeviceAccess ParseAccess(string text)
    {
        var access = DeviceAccess.None;
        foreach (var c in text)
            access |= c switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new FormatException($"bad device access '{text}': use some of r, w and m"),
            };
        return access == DeviceAccess.None ? throw new FormatException("empty device access: use some of r, w and m") : access;
    }

    /// <summary>The v1 form: "c 1:3 rwm", "c 136:* rwm", "a *:* rwm".</summary>
    public override string ToString()
    {
        var s = new StringBuilder();
        s.Append(Type switch { DeviceType.Char => 'c', DeviceType.Block => 'b', _ => 'a' }).Append(' ');
        s.Append(Major?.ToString() ?? "*").Append(':').Append(Minor?.ToString() ?? "*").Append(' ');
        if (Access.HasFlag(DeviceAccess.Read)) s.Append('r');
        if (Access.HasFlag(DeviceAccess.Write)) s.Append('w');
        if (Access.HasFlag(DeviceAccess.Mknod)) s.Append('m');
        return s.ToString();
    }
}
