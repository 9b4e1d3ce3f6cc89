namespace Containet.Protocol;

/// <summary>
/// What the control protocol takes as a name: node ids and interface names are validated as names (a character
/// set and a length) before they are used or printed, so none can carry a terminal's escape sequence or a path.
/// </summary>
public static class Names
{
    public const int MaxNodeId = 255;

    /// <summary>ASCII letters, digits and <c>. _ - : @ +</c>, 1 to 255 of them, not . or .. (a node id names its pin file).</summary>
    public static bool IsNodeId(string id) =>
        id.Length is > 0 and <= MaxNodeId && id is not ("." or "..") && All(id, c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@' or '+');

    /// <summary>A network interface name as the kernel takes one: 1 to 15 of ASCII letters, digits and <c>. _ -</c>, not . or ..</summary>
    public static bool IsInterface(string name) => Native.InterfaceLimits.IsValidName(name);

    private static bool All(string s, Func<char, bool> allowed)
    {
        foreach (var c in s)
            if (!allowed(c)) return false;
        return true;
    }
}
