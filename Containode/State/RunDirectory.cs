using Containet.Native;

namespace Containode;

/// <summary>
/// A running container's runtime state, /run/containet/containers/ID: its root's mount point and the files bound
/// into it. A lock on ID/lock, held until the container's clean-up, keeps a second container of the same identity
/// out; a directory whose lock nobody holds was left by a launcher that was killed, and is taken over.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    public static string Base => Posix.IsRoot ? "/run/containet/containers" : System.IO.Path.Combine(Rootless.StateDirectory, "containers");

    private readonly SafeFd lockFile;

    public string Path { get; }

    private RunDirectory(string path, SafeFd lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    /// <summary>Claims the directory of <paramref name="identity"/>, which the caller has validated as a name.</summary>
    public static RunDirectory Claim(string identity)
    {
        var path = System.IO.Path.Combine(Base, identity);
        Directory.CreateDirectory(path);
        var lockFile = Posix.TryLock(System.IO.Path.Combine(path, "lock"))
            ?? throw new LaunchException($"a container named {identity} is already running: give this one another identity with -i");
        return new RunDirectory(path, lockFile);
    }

    /// <summary>What <see cref="Dispose"/> does, left to containet-wait.</summary>
    public void AddExitSteps(ExitSteps steps)
    {
        steps.Remove(Path);
        steps.Keep(lockFile);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        lockFile.Dispose();
    }
}
