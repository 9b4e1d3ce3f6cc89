using Containet.Native;

namespace Mocker.Store;

/// <summary>
/// Where the image store is when nobody says: $MOCKER_STORE; else root's /var/lib/containet/images, and for any
/// other user a store of their own in their data directory (~/.local/share/containet/images), as rootless podman
/// keeps its images apart from root's.
/// </summary>
public static class StoreLocation
{
    public const string Default = "/var/lib/containet/images";

    public const string UserDefault = "~/.local/share/containet/images";

    public static string FromEnvironment => For(Environment.GetEnvironmentVariable("MOCKER_STORE"), Posix.IsRoot, () => UserData.Directory);

    public static string For(string? mockerStore, bool root, Func<string> userData) =>
        mockerStore is { Length: > 0 } store ? store : root ? Default : Path.Combine(userData(), "images");
}
