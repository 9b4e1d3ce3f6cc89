namespace Containet.Native;

/// <summary>
/// Where a user other than root keeps containet's data (TOPs, logs, images), as the XDG base directory spec
/// places it: $XDG_DATA_HOME/containet, else ~/.local/share/containet. A relative XDG_DATA_HOME is invalid by the
/// spec and ignored.
/// </summary>
public static class UserData
{
    public static string Directory =>
        For(Environment.GetEnvironmentVariable("XDG_DATA_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public static string For(string? xdgDataHome, string home) =>
        xdgDataHome is { Length: > 0 } data && Path.IsPathRooted(data) ? Path.Combine(data, "containet") : Path.Combine(home, ".local", "share", "containet");
}
