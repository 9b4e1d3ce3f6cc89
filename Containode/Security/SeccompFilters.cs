namespace Containode;

/// <summary>The seccomp program a container gets, compiled through the cache in /run/containet/seccomp.</summary>
public static class SeccompFilters
{
    /// <summary>
    /// The program for <paramref name="profile"/> (a Docker/OCI profile file, or null for containode's default
    /// profile) and the container's <paramref name="capabilities"/>. A bad profile is a <see cref="LaunchException"/>.
    /// </summary>
    public static byte[] For(string? profile, ulong capabilities)
    {
        var cache = new SeccompCache(SeccompCache.DefaultDirectory);
        return profile is null
            ? cache.CompileInstalled(SeccompProfile.DefaultPath, () => SeccompProfile.DefaultJson, SeccompProfile.DefaultSource, capabilities)
            : cache.Compile(SeccompProfile.ReadFile(profile), profile, capabilities);
    }
}
