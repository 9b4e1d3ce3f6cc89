using System.Security.Cryptography.X509Certificates;

namespace Containode.Remote.Tls;

/// <summary>
/// Who a client is: its certificate's common name, taken as a name only when it is one (1 to 64 letters, digits,
/// '.', '-', '_', '@'), since it ends up in files and log lines.
/// </summary>
public static class PeerIdentity
{
    public const int MaxLength = 64;

    public static string? Of(X509Certificate2? certificate)
    {
        var name = certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return name is not null && IsValid(name) ? name : null;
    }

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@');
}
