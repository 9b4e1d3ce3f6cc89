using Containet.Native;

namespace Containode;

/// <summary>
/// Where a container keeps its changes: TOP/root is the overlay's upper dir and persists, TOP/work is the
/// overlay's scratch space and is emptied at exit. A lock on TOP/lock keeps two running containers apart.
/// </summary>
public sealed class TopDirectory
{
    private readonly SafeFd lockFile;

    public string Path { get; }
    public string Upper => System.IO.Path.Combine(Path, "root");
    public string Work => System.IO.Path.Combine(Path, "work");

    private TopDirectory(string path, SafeFd lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    public static TopDirectory Claim(string path)
    {
        FileNodes.MakeDirectories(System.IO.Path.Combine(path, "root"), Mode.O777);
        FileNodes.MakeDirectories(System.IO.Path.Combine(path, "work"), Mode.O777);
        var lockFile = Posix.TryLock(System.IO.Path.Combine(path, "lock"))
            ?? throw new LaunchException($"{path} is in use by another running container; give this one its own TOP");
        return new TopDirectory(path, lockFile);
    }

    /// <summary>Its part of the clean-up: TOP/work is emptied (TOP/root stays for the next run), then the lock is released.</summary>
    public void AddExitSteps(ExitSteps steps)
    {
        steps.Empty(Work);
        steps.Release(lockFile);
    }
}
