using Containet.Native;

namespace Containode;

/// <summary>
/// A running container's runtime state, RUN/ID (<see cref="StateDirs"/>): its root's mount point, the files bound
/// into it, its PIDs and its saved clean-up. A lock on ID/lock, held until the container's clean-up has run, keeps
/// a second launch of the same container out.
/// </summary>
public sealed class RunDirectory
{
    private readonly SafeFd lockFile;

    public string Path { get; }

    private RunDirectory(string path, SafeFd lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    public static RunDirectory Claim(string path, string name)
    {
        FileNodes.MakeDirectories(path, Mode.O777);
        var lockFile = Posix.TryLock(System.IO.Path.Combine(path, "lock"))
            ?? throw new LaunchException($"the container {name} is already running");
        return new RunDirectory(path, lockFile);
    }

    /// <summary>
    /// Its part of the clean-up, the last: the lock is released and the directory goes. Once it is gone the
    /// container counts as stopped, so every other lock of the container is released before.
    /// </summary>
    public void AddExitSteps(ExitSteps steps)
    {
        steps.Release(lockFile);
        steps.Remove(Path);
    }
}
