namespace Containode.Cgroups;

/// <summary>
/// What a device cgroup holds after a list of rules, kept the way the kernel's v1 controller keeps it
/// (security/device_cgroup.c): a default, and exceptions to it, one per type and numbers, each with the access
/// it grants (or, when the default allows, refuses). Rules start from "deny everything" and apply in order:
///   - a rule for every device ('a') sets the default and drops all exceptions;
///   - a rule that goes against the default adds its access to the exception with the same type and numbers;
///   - a rule that goes with it takes its access away from that exception.
/// The v2 program is generated from this, so that a list of rules means the same on both versions.
/// </summary>
public sealed class DeviceExceptions
{
    public bool DefaultAllow { get; }

    /// <summary>The exceptions, in the order they were first made; each grants when the default denies, and refuses when it allows.</summary>
    public IReadOnlyList<DeviceRule> Exceptions { get; }

    private DeviceExceptions(bool defaultAllow, IReadOnlyList<DeviceRule> exceptions)
    {
        DefaultAllow = defaultAllow;
        Exceptions = exceptions;
    }

    public static DeviceExceptions Of(IEnumerable<DeviceRule> rules)
    {
        var defaultAllow = false;
        var exceptions = new List<DeviceRule>();
        foreach (var rule in rules)
        {
            if (rule.Type == DeviceType.All)
            {
                defaultAllow = rule.Allow;
                exceptions.Clear();
                continue;
            }
            var at = exceptions.FindIndex(e => e.Type == rule.Type && e.Major == rule.Major && e.Minor == rule.Minor);
            var held = at < 0 ? DeviceAccess.None : exceptions[at].Access;
            var access = rule.Allow != defaultAllow ? held | rule.Access : held & ~rule.Access;
            if (access == held) continue;
            var exception = access == DeviceAccess.None ? (DeviceRule?)null : new DeviceRule(rule.Type, rule.Major, rule.Minor, access, !defaultAllow);
            if (at < 0) exceptions.Add(exception!.Value);
            else if (exception is null) exceptions.RemoveAt(at);
            else exceptions[at] = exception.Value;
        }
        return new DeviceExceptions(defaultAllow, exceptions);
    }
}
