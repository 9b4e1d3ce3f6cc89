using Containet.Native;

namespace Containode;

/// <summary>
/// What the command may do once it runs, decided before anything is made: its capabilities (Docker's default
/// set unless told otherwise), no_new_privs, and the seccomp filter (the project's default profile, a profile
/// file, or none). Added to the plan last, in the order crun keeps: capabilities, no_new_privs, seccomp.
/// </summary>
public sealed class SecurityPolicy
{
    public required ulong CapabilitySet { get; init; }
    public required bool NoNewPrivileges { get; init; }
    public required byte[]? Seccomp { get; init; }

    public static SecurityPolicy From(ContainerSpec o)
    {
        string? profile = null;
        var unconfined = o.Privileged;
        var noNewPrivileges = true;
        foreach (var opt in o.SecurityOptions)
        {
            var (key, value) = opt.IndexOf('=') is > 0 and var eq ? (opt[..eq], opt[(eq + 1)..]) : (opt, "");
            switch (key)
            {
                case "seccomp" when value == "unconfined":
                    unconfined = true;
                    break;
                case "seccomp" when value.Length > 0:
                    profile = value;
                    break;
                case "no-new-privileges" when value is "" or "true" or "false":
                    noNewPrivileges = value != "false";
                    break;
                default:
                    throw new UsageException($"unknown --security-opt '{opt}': use seccomp=FILE, seccomp=unconfined or no-new-privileges=true|false");
            }
        }
        var capabilities = Capabilities.Resolve(o.CapAdd, o.CapDrop, o.Privileged);
        return new SecurityPolicy
        {
            CapabilitySet = capabilities,
            NoNewPrivileges = noNewPrivileges,
            Seccomp = unconfined ? null : SeccompFilters.For(profile, capabilities),
        };
    }

    /// <summary>
    /// Adds the policy to the plan. A <paramref name="user"/> is taken after the capabilities are set: leaving uid 0
    /// clears the effective and permitted sets, as Docker gives a non-root user only the bounding set.
    /// </summary>
    public void AddTo(ContainerPlan plan, (uint Uid, uint? Gid)? user = null)
    {
        // Without no_new_privs, loading a filter takes CAP_SYS_ADMIN, which the capabilities may drop: load it first then.
        if (!NoNewPrivileges && Seccomp is not null) plan.Seccomp(Seccomp);
        plan.Capabilities(CapabilitySet, CapabilitySet, CapabilitySet, CapabilitySet);
        if (user is { } u) plan.User(u.Uid, u.Gid ?? 0);
        if (NoNewPrivileges) plan.NoNewPrivileges();
        if (NoNewPrivileges && Seccomp is not null) plan.Seccomp(Seccomp);
    }
}
