using System.Collections.Concurrent;

namespace Containode.Remote.Serve;

/// <summary>A job's owner and the owner's name for it.</summary>
public sealed record JobOwner(string Id, string Owner, string Name);

/// <summary>
/// Whose job is whose, kept on disk so a restarted server knows: DIR/jobs/ID holds "owner=CN" and "name=NAME",
/// written whole (beside, then renamed over) with mode 0600. A container without such a file is no job of this
/// server's, and nobody's but an administrator's business.
/// </summary>
public sealed class JobOwners
{
    private readonly string dir;
    private readonly ConcurrentDictionary<string, JobOwner> jobs = new(StringComparer.Ordinal);

    public JobOwners(string stateDir)
    {
        dir = Path.Combine(stateDir, "jobs");
        Directory.CreateDirectory(stateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            var id = Path.GetFileName(file);
            if (!IsJobId(id)) continue;
            var values = ContainerRecord.KeyValues(File.ReadLines(file));
            if (values.GetValueOrDefault("owner") is { } owner && Tls.PeerIdentity.IsValid(owner))
                jobs[id] = new JobOwner(id, owner, values.GetValueOrDefault("name") ?? id[..12]);
        }
    }

    public IEnumerable<JobOwner> All => jobs.Values;

    public JobOwner? Find(string id) => jobs.GetValueOrDefault(id);

    public void Add(JobOwner job)
    {
        var path = Path.Combine(dir, job.Id);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(file)) writer.Write($"owner={job.Owner}\nname={job.Name}\n");
        File.Move(temp, path, overwrite: true);
        jobs[job.Id] = job;
    }

    public void Remove(string id)
    {
        jobs.TryRemove(id, out _);
        File.Delete(Path.Combine(dir, id));
    }

    public static bool IsJobId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
