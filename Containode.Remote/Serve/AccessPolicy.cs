namespace Containode.Remote.Serve;

/// <summary>
/// Who may do what: the administrators (every job), and per identity the methods it may call (all of them for an
/// identity the server was not told about). Whose job is whose is <see cref="JobOwners"/>'s.
/// </summary>
public sealed class AccessPolicy(IReadOnlySet<string> admins, IReadOnlyDictionary<string, HashSet<string>> allowed)
{
    public bool IsAdmin(string identity) => admins.Contains(identity);

    /// <summary>Run does what Create, Output and Status do, in one call: it is allowed with them.</summary>
    public bool MayCall(string identity, string method) =>
        !allowed.TryGetValue(identity, out var methods)
        || (method == "Run" ? methods.Contains("Create") && methods.Contains("Output") && methods.Contains("Status") : methods.Contains(method));
}
