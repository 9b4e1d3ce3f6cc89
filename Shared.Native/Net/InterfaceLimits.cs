using System.Globalization;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// The names and MTUs the kernel accepts for a TAP, checked where users type them so that they read the rule
/// instead of the EINVAL or ERANGE netlink would answer.
/// </summary>
public static class InterfaceLimits
{
    /// <summary>The smallest MTU IPv4 allows (RFC 791), which the kernel enforces for Ethernet devices.</summary>
    public const int MinMtu = 68;

    /// <summary>A TAP's largest MTU: the kernel's 65535 less the Ethernet header it adds (tun.c).</summary>
    public const int MaxTapMtu = 65535 - 14;

    /// <summary>The longest interface name: IFNAMSIZ less its terminating NUL.</summary>
    public const int MaxNameBytes = Libc.IFNAMSIZ - 1;

    public static int CheckMtu(int mtu) =>
        mtu is >= MinMtu and <= MaxTapMtu ? mtu
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"MTU {mtu} is out of range: the MTU is a number from {MinMtu} to {MaxTapMtu}"));

    public static int ParseMtu(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) ? CheckMtu(mtu)
            : throw new FormatException($"'{text}' is not an MTU: the MTU is a number from {MinMtu} to {MaxTapMtu}");

    /// <summary>
    /// Whether <paramref name="name"/> is an interface name the programs take: 1 to 15 ASCII letters, digits and
    /// <c>. _ -</c>, not . or .. (narrower than the kernel's rule, so that no name carries a path or an escape).
    /// </summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameBytes && name is not ("." or "..") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static string CheckName(string name) =>
        IsValidName(name) ? name
            : name.Length > MaxNameBytes ? throw new FormatException($"interface name '{name}' is {name.Length} characters long: at most {MaxNameBytes} fit (IFNAMSIZ)")
            : throw new FormatException($"'{name}' is not an interface name: write 1 to {MaxNameBytes} ASCII letters, digits, '.', '_' or '-'");
}
