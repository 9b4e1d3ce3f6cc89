using System.Collections.Concurrent;
using Containet.Native;

namespace Containode.Remote.Serve;

/// <summary>A job: the container that runs it (by its name), its owner, and the owner's name for it.</summary>
public sealed record JobOwner(string Container, string Owner, string Name);

/// <summary>
/// Whose job is whose, kept on disk so a restarted server knows: DIR/jobs/CONTAINER holds "owner=CN" and
/// "name=NAME", written whole (beside, then renamed over) with mode 0600 before the container is made, so no job
/// ever runs without its owner on disk. A container without such a file is no job of this server's.
/// </summary>
public sealed class JobOwners
{
    private readonly string dir;
    private readonly ConcurrentDictionary<string, JobOwner> jobs = new(StringComparer.Ordinal);

    public JobOwners(string stateDir)
    {
        dir = Path.Combine(stateDir, "jobs");
        Directory.CreateDirectory(stateDir, (UnixFileMode)Mode.O700);
        Directory.CreateDirectory(dir, (UnixFileMode)Mode.O700);
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            var container = Path.GetFileName(file);
            if (!Identity.IsValid(container)) continue;
            var values = ContainerRecord.KeyValues(File.ReadLines(file));
            if (values.GetValueOrDefault("owner") is { } owner && Tls.PeerIdentity.IsValid(owner))
                jobs[container] = new JobOwner(container, owner, values.GetValueOrDefault("name") ?? container);
        }
    }

    public IEnumerable<JobOwner> All => jobs.Values;

    public void Add(JobOwner job)
    {
        var path = Path.Combine(dir, job.Container);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)Mode.O600,
        }))
        using (var writer = new StreamWriter(file)) writer.Write($"owner={job.Owner}\nname={job.Name}\n");
        File.Move(temp, path, overwrite: true);
        jobs[job.Container] = job;
    }

    public void Remove(string container)
    {
        jobs.TryRemove(container, out _);
        File.Delete(Path.Combine(dir, container));
    }

    /// <summary>Takes a job out of every caller's view while its files are being removed; its owner file stays until <see cref="Remove"/>.</summary>
    public void Hide(string container) => jobs.TryRemove(container, out _);

    /// <summary>A container name of this server's own: "job-" and 16 random hex digits.</summary>
    public static string NewContainerName()
    {
        Span<byte> bytes = stackalloc byte[8];
        Containet.Native.Posix.FillRandom(bytes);
        return "job-" + Convert.ToHexStringLower(bytes);
    }
}
