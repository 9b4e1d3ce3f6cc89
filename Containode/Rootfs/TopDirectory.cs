namespace Containode;

/// <summary>
/// Where a container keeps its changes: TOP/root is the overlay's upper dir and persists, TOP/work is the
/// overlay's scratch space and is emptied at exit. A lock on TOP/lock keeps two running containers apart.
/// </summary>
public sealed class TopDirectory : IDisposable
{
    private readonly Containet.Native.SafeFd lockFile;

    public string Path { get; }
    public string Upper => System.IO.Path.Combine(Path, "root");
    public string Work => System.IO.Path.Combine(Path, "work");

    private TopDirectory(string path, Containet.Native.SafeFd lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    public static TopDirectory Claim(string path)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(path, "root"));
        Directory.CreateDirectory(System.IO.Path.Combine(path, "work"));
        var lockFile = Containet.Native.Posix.TryLock(System.IO.Path.Combine(path, "lock"))
            ?? throw new LaunchException($"{path} is in use by another running container; give this one its own with -t");
        return new TopDirectory(path, lockFile);
    }

    /// <summary>What <see cref="Dispose"/> does, left to containet-wait: the lock holds until it exits.</summary>
    public void AddExitSteps(Containet.Native.ExitSteps steps)
    {
        steps.Empty(Work);
        steps.Keep(lockFile);
    }

    /// <summary>Empties the overlay's work dir; TOP/root stays for the next run.</summary>
    public void Dispose()
    {
        try
        {
            foreach (var entry in new DirectoryInfo(Work).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo d) d.Delete(recursive: true);
                else entry.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Containet.Native.Posix.WriteError($"containode: could not empty {Work}: {e.Message}");
        }
        lockFile.Dispose();
    }
}
