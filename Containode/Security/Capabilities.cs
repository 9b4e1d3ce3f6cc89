using Containet.Native;
namespace Containode;

/// <summary>
/// Linux capabilities as a 64-bit mask (bit N is capability N), their names, and docker's rules for
/// --cap-add, --cap-drop and --privileged.
/// </summary>
public static class Capabilities
{
    /// <summary>linux/capability.h, in order: index = number, up to CAP_CHECKPOINT_RESTORE (40).</summary>
    private static readonly string[] Names =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    public const int LastKnown = 40;

    /// <summary>
    /// Docker's default set: CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP,
    /// SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE.
    /// </summary>
    public const ulong DockerDefault = 0x00000000a80425fb;

    /// <summary>The number of a capability named CAP_X or X, in any case; null if there is no such capability.</summary>
    public static int? Number(string name)
    {
        var bare = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        for (var i = 0; i < Names.Length; i++)
            if (string.Equals(Names[i], bare, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }

    /// <summary>CAP_X for a capability number (CAP_N for one newer than this list).</summary>
    public static string Name(int number) =>
        number >= 0 && number < Names.Length ? "CAP_" + Names[number] : "CAP_" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The names of the capabilities in a mask, lowest number first.</summary>
    public static IEnumerable<string> NamesOf(ulong mask)
    {
        for (var i = 0; i < 64; i++)
            if ((mask & (1UL << i)) != 0) yield return Name(i);
    }

    /// <summary>The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int KernelLast { get; } = ReadKernelLast();

    /// <summary>
    /// Every capability this kernel knows that this process may pass on (its bounding set, CapBnd): a
    /// capability the launcher lacks cannot be given, and asking for it would fail the whole start.
    /// </summary>
    public static ulong All => AllUpTo(KernelLast) & Bounding;

    /// <summary>This process's bounding set, from /proc/self/status.</summary>
    public static ulong Bounding => bounding.Value;

    private static readonly Lazy<ulong> bounding = new(ReadBounding);

    /// <summary>
    /// The capability set a container gets, by docker's rules: --privileged gives every capability (see
    /// <see cref="All"/>); ALL in <paramref name="add"/> gives every one but those dropped; ALL in
    /// <paramref name="drop"/> gives just those added; otherwise the default set, minus drops, plus adds.
    /// A name that is no capability of this kernel is a <see cref="UsageException"/>.
    /// </summary>
    public static ulong Resolve(IEnumerable<string> add, IEnumerable<string> drop, bool privileged) =>
        Resolve(add, drop, privileged, KernelLast, () => Bounding);

    /// <param name="bounding">Read only for the sets that take every capability: a default start reads no file for it.</param>
    internal static ulong Resolve(IEnumerable<string> add, IEnumerable<string> drop, bool privileged, int kernelLast, Func<ulong>? bounding = null)
    {
        var (added, addAll) = Parse(add, "--cap-add", kernelLast);
        var (dropped, dropAll) = Parse(drop, "--cap-drop", kernelLast);
        ulong All() => AllUpTo(kernelLast) & (bounding?.Invoke() ?? ulong.MaxValue);
        if (privileged) return All();
        if (addAll) return All() & ~dropped;
        if (dropAll) return added;
        return (DockerDefault & ~dropped) | added;
    }

    private static (ulong Mask, bool All) Parse(IEnumerable<string> names, string option, int kernelLast)
    {
        ulong mask = 0;
        var all = false;
        foreach (var name in names)
        {
            if (string.Equals(name, "ALL", StringComparison.OrdinalIgnoreCase))
            {
                all = true;
                continue;
            }
            var number = Number(name) ?? throw new UsageException($"{option} {name}: no such capability (try CAP_NET_ADMIN or ALL)");
            if (number > kernelLast) throw new UsageException($"{option} {name}: this kernel does not know that capability");
            mask |= 1UL << number;
        }
        return (mask, all);
    }

    private static ulong AllUpTo(int last) => last >= 63 ? ulong.MaxValue : (1UL << (last + 1)) - 1;

    private static ulong ReadBounding()
    {
        try
        {
            foreach (var line in SmallFile.Read("/proc/self/status").Split('\n'))
                if (line.StartsWith("CapBnd:", StringComparison.Ordinal))
                    return ulong.Parse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return ulong.MaxValue;
    }

    // Without /proc (or before Linux 3.2) assume the kernel knows every capability this list does.
    private static int ReadKernelLast()
    {
        try
        {
            return int.Parse(SmallFile.Read("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return LastKnown;
        }
    }
}
