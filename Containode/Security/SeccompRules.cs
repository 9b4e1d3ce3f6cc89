using Containet.Native;

namespace Containode;

/// <summary>
/// A seccomp profile after validation: every action, operator, index and count checked, names of
/// architectures in libseccomp's spelling. Faults are a <see cref="FormatException"/> saying where.
/// </summary>
internal sealed record SeccompRules(
    SeccompAction DefaultAction,
    IReadOnlyList<string> Architectures,
    IReadOnlyList<(string Architecture, IReadOnlyList<string> SubArchitectures)> ArchMap,
    IReadOnlyList<SeccompRule> Rules)
{
    /// <summary>
    /// The architectures the filter covers besides the native one: the profile's list (OCI), or from its
    /// archMap (Docker) the native architecture's entry with its sub-architectures.
    /// </summary>
    public IEnumerable<string> ArchitecturesFor(NativeArch arch)
    {
        if (Architectures.Count > 0) return Architectures;
        foreach (var (main, subs) in ArchMap)
            if (main == arch.Seccomp) return [main, .. subs];
        return [];
    }

    public static SeccompRules From(SeccompProfileJson json)
    {
        var defaultAction = Action(json.DefaultAction, json.DefaultErrnoRet, "defaultAction");
        var architectures = (json.Architectures ?? []).Select((a, i) => Architecture(a, $"architectures[{i}]")).ToList();
        var archMap = new List<(string, IReadOnlyList<string>)>();
        foreach (var (entry, i) in (json.ArchMap ?? []).Select((e, i) => (e, i)))
        {
            if (entry is null) throw new FormatException($"archMap[{i}] is null");
            var subs = (entry.SubArchitectures ?? []).Select((a, j) => Architecture(a, $"archMap[{i}].subArchitectures[{j}]")).ToList();
            archMap.Add((Architecture(entry.Architecture, $"archMap[{i}].architecture"), subs));
        }
        if (architectures.Count > 0 && archMap.Count > 0) throw new FormatException("has both architectures and archMap; give one");

        var syscalls = json.Syscalls ?? [];
        if (syscalls.Count > SeccompProfile.MaxRules)
            throw new FormatException($"has {syscalls.Count} syscalls entries; at most {SeccompProfile.MaxRules} rules are taken");
        var rules = syscalls.Select((s, i) => SeccompRule.From(s, $"syscalls[{i}]")).ToList();
        CheckCounts(rules);
        return new SeccompRules(defaultAction, architectures, archMap, rules);
    }

    /// <summary>
    /// libseccomp's time grows much faster than linearly with argument conditions and with rules on one
    /// syscall, so a profile is held to counts that compile in well under a second. Docker's and podman's profiles have
    /// about 500 rules, at most 6 on a syscall, and about 10 conditions.
    /// </summary>
    private static void CheckCounts(List<SeccompRule> rules)
    {
        int total = 0, conditions = 0;
        var perSyscall = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var count = rule.ConditionSets().Count();
            foreach (var name in rule.Names)
            {
                var onThis = perSyscall[name] = perSyscall.GetValueOrDefault(name) + count;
                if (onThis > SeccompProfile.MaxRulesPerSyscall)
                    throw new FormatException($"{rule.Where}: over {SeccompProfile.MaxRulesPerSyscall} rules on {name}");
            }
            total += count * rule.Names.Length;
            conditions += rule.Arguments.Length * rule.Names.Length;
            if (total > SeccompProfile.MaxRules)
                throw new FormatException($"{rule.Where}: over {SeccompProfile.MaxRules} rules in all");
            if (conditions > SeccompProfile.MaxConditions)
                throw new FormatException($"{rule.Where}: over {SeccompProfile.MaxConditions} argument conditions in all");
        }
    }

    /// <summary>runc's mapping: SCMP_ACT_ERRNO and SCMP_ACT_TRACE return EPERM unless told otherwise.</summary>
    internal static SeccompAction Action(string? name, uint? errnoRet, string where)
    {
        var data = (int)(errnoRet ?? Errno.EPERM);
        if (errnoRet > 4095) throw new FormatException($"{where}: errnoRet {errnoRet} is not an errno (0 to 4095)");
        return name switch
        {
            "SCMP_ACT_ALLOW" => SeccompAction.Allow,
            "SCMP_ACT_ERRNO" => SeccompAction.Errno(data),
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompAction.KillThread,
            "SCMP_ACT_KILL_PROCESS" => SeccompAction.KillProcess,
            "SCMP_ACT_TRAP" => SeccompAction.Trap,
            "SCMP_ACT_TRACE" => SeccompAction.Trace(data),
            "SCMP_ACT_LOG" => SeccompAction.Log,
            null => throw new FormatException($"{where}: no action given"),
            _ => throw new FormatException($"{where}: unknown action {name}"),
        };
    }

    /// <summary>SCMP_ARCH_X86_64 is libseccomp's x86_64, and so on for every SCMP_ARCH_ name.</summary>
    private static string Architecture(string? name, string where) =>
        name is not null && name.StartsWith("SCMP_ARCH_", StringComparison.Ordinal) && name.Length > 10 && name.Length <= 32
            ? name[10..].ToLowerInvariant()
            : throw new FormatException($"{where}: unknown architecture {name ?? "null"}");
}

/// <summary>One "syscalls" entry: names, action, argument conditions, and when it applies.</summary>
internal sealed record SeccompRule(string Where, string[] Names, SeccompAction Action, SeccompArgument[] Arguments,
    SeccompCondition? Includes, SeccompCondition? Excludes)
{
    /// <summary>
    /// moby's rule: excluded if the native architecture is listed, any listed capability is held, or the
    /// kernel is at least minKernel; included only if the architecture is listed, every listed capability
    /// is held and the kernel is at least minKernel.
    /// </summary>
    public bool AppliesTo(ulong capabilities, NativeArch arch, Version kernel)
    {
        if (Excludes is { } ex && (ex.Names(arch) || ex.AnyHeld(capabilities) || ex.KernelAtLeast(kernel) == true)) return false;
        if (Includes is { } inc && (!inc.NamesOrEmpty(arch) || !inc.AllHeld(capabilities) || inc.KernelAtLeast(kernel) == false)) return false;
        return true;
    }

    /// <summary>
    /// The conditions libseccomp gets per rule, as runc hands them over: all in one rule (AND), or, when an
    /// argument index repeats, one rule per condition (OR), the form older profiles relied on.
    /// </summary>
    public IEnumerable<SeccompArgument[]> ConditionSets()
    {
        var seen = 0;
        foreach (var a in Arguments)
        {
            if ((seen & (1 << a.Index)) != 0) return Arguments.Select(x => new[] { x });
            seen |= 1 << a.Index;
        }
        return [Arguments];
    }

    public static SeccompRule From(SeccompSyscallJson? json, string where)
    {
        if (json is null) throw new FormatException($"{where} is null");
        var names = new List<string>();
        foreach (var n in json.Name is null ? json.Names ?? [] : [json.Name, .. json.Names ?? []])
            names.Add(n is { Length: > 0 and <= 64 } ? n : throw new FormatException($"{where}: a syscall name is empty, null or too long"));
        if (names.Count == 0) throw new FormatException($"{where} names no syscall");
        var args = json.Args ?? [];
        if (args.Count > SeccompFilter.MaxArguments)
            throw new FormatException($"{where}: {args.Count} argument conditions, at most {SeccompFilter.MaxArguments}");
        var arguments = args.Select((a, i) => Argument(a, $"{where}.args[{i}]")).ToArray();
        return new SeccompRule(where, names.ToArray(), SeccompRules.Action(json.Action, json.ErrnoRet, where), arguments,
            SeccompCondition.From(json.Includes, where + ".includes"), SeccompCondition.From(json.Excludes, where + ".excludes"));
    }

    private static SeccompArgument Argument(SeccompArgJson? json, string where)
    {
        if (json is null) throw new FormatException($"{where} is null");
        if (json.Index >= SeccompFilter.MaxArguments) throw new FormatException($"{where}: index {json.Index}, a syscall has arguments 0 to 5");
        var op = json.Op switch
        {
            "SCMP_CMP_NE" => SeccompCompare.NotEqual,
            "SCMP_CMP_LT" => SeccompCompare.LessThan,
            "SCMP_CMP_LE" => SeccompCompare.LessOrEqual,
            "SCMP_CMP_EQ" => SeccompCompare.Equal,
            "SCMP_CMP_GE" => SeccompCompare.GreaterOrEqual,
            "SCMP_CMP_GT" => SeccompCompare.GreaterThan,
            "SCMP_CMP_MASKED_EQ" => SeccompCompare.MaskedEqual,
            _ => throw new FormatException($"{where}: unknown operator {json.Op ?? "null"}"),
        };
        return new SeccompArgument((int)json.Index, op, json.Value, json.ValueTwo);
    }
}

/// <summary>An "includes" or "excludes" block. A capability name nobody knows is never held.</summary>
internal sealed record SeccompCondition(ulong Capabilities, bool UnknownCapability, string[] Arches, Version? MinKernel)
{
    public bool Names(NativeArch arch) => Arches.Any(arch.IsNamed);

    public bool NamesOrEmpty(NativeArch arch) => Arches.Length == 0 || Names(arch);

    public bool AnyHeld(ulong held) => (held & Capabilities) != 0;

    public bool AllHeld(ulong held) => !UnknownCapability && (held & Capabilities) == Capabilities;

    /// <summary>Null when the block sets no minKernel.</summary>
    public bool? KernelAtLeast(Version kernel) => MinKernel is null ? null : kernel >= MinKernel;

    public static SeccompCondition? From(SeccompConditionJson? json, string where)
    {
        if (json is null) return null;
        ulong caps = 0;
        var unknown = false;
        foreach (var c in json.Caps ?? [])
        {
            if (c is null) throw new FormatException($"{where}.caps holds null");
            if (Containode.Capabilities.Number(c) is { } n) caps |= 1UL << n;
            else unknown = true;
        }
        var arches = (json.Arches ?? []).Select(a => a ?? throw new FormatException($"{where}.arches holds null")).ToArray();
        Version? minKernel = null;
        if (json.MinKernel is not null && (!Version.TryParse(json.MinKernel, out minKernel) || minKernel.Revision >= 0))
            throw new FormatException($"{where}: minKernel {json.MinKernel} is not a kernel version like 4.8");
        return new SeccompCondition(caps, unknown, arches, minKernel);
    }
}
