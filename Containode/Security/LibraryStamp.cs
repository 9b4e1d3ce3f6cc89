using System.Globalization;
using Containet.Native;

namespace Containode;

/// <summary>
/// Which libseccomp compiled a cached program: the loaded library's file (from /proc/self/maps), its size and
/// modification time, as "PATH\nSIZE\nTICKS". A package upgrade replaces the file, and the stamp no longer holds.
/// The same stamp keys a profile file installed with containode.
/// </summary>
internal static class LibraryStamp
{
    public const int MaxBytes = 4096;

    /// <summary>The stamp of the libseccomp this process has loaded; null when none is (or /proc cannot say).</summary>
    public static string? OfLoaded()
    {
        string maps;
        try { maps = SmallFile.Read("/proc/self/maps"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        foreach (var line in maps.Split('\n'))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !Path.GetFileName(line.AsSpan(slash)).StartsWith("libseccomp.so", StringComparison.Ordinal)) continue;
            var path = line[slash..];
            return OfFile(path) is { } stamp && stamp.Length <= MaxBytes ? stamp : null;
        }
        return null;
    }

    /// <summary>Whether the file the stamp names is still there with the same size and time.</summary>
    public static bool StillHolds(string stamp)
    {
        var path = stamp.Split('\n')[0];
        return path.StartsWith('/') && OfFile(path) == stamp;
    }

    /// <summary>Any file's stamp: its path, size and modification time; null when it is missing.</summary>
    public static string? OfFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        return string.Create(CultureInfo.InvariantCulture, $"{path}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}");
    }
}
