namespace Mocker.Store;

/// <summary>Where the image store is when nobody says: $MOCKER_STORE, else /var/lib/containet/images.</summary>
public static class StoreLocation
{
    public const string Default = "/var/lib/containet/images";

    public static string FromEnvironment => Environment.GetEnvironmentVariable("MOCKER_STORE") is { Length: > 0 } s ? s : Default;
}
