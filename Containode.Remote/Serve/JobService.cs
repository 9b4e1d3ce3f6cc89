using Containode.Cgroups;
using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>
/// The Jobs service: each call finds the caller's job (another's is "not found", as if it did not exist; an
/// administrator's search covers all), then has containode do the work or reads the job's state and log.
/// The caller was authenticated and its method allowed by <see cref="AccessInterceptor"/>.
/// </summary>
public sealed class JobService(ServeOptions node, AccessPolicy policy, JobOwners owners, Runtime runtime, LogWatch watches, LogFeeds feeds, ServeLimits limits,
    Microsoft.Extensions.Logging.ILogger<JobService> logger)
    : Jobs.JobsBase
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10), CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly ContainerStore store = new(StateDirs.Default);

    public override async Task<JobStatus> Create(CreateRequest request, ServerCallContext context)
    {
        var (record, owner) = await Make(request, context);
        return JobStates.Of(record, owner);
    }

    public override async Task Run(RunRequest request, IServerStreamWriter<RunEvent> responseStream, ServerCallContext context)
    {
        var identity = AccessInterceptor.IdentityOf(context);
        if (request.Remove && !policy.MayCall(identity, "Remove"))
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{identity} may not call Remove"));
        using var slot = limits.OutputSlot();
        var (record, owner) = await Make(request.Create ?? new CreateRequest(), context);
        AccessInterceptor.NoteJob(context, record.Id);
        await responseStream.WriteAsync(new RunEvent { Started = JobStates.Of(record, owner) }, context.CancellationToken);
        await JobOutput.Send(record, follow: true, watches, feeds, new RunOutputWriter(responseStream), context.CancellationToken);
        var ended = JobStates.Of(record, owner);
        if (request.Remove)
        {
            // Gone from every caller's view before the client hears how it ended; its files go once its monitor has
            // cleaned up, after the reply (the owner's file last, so a server stopped meanwhile finds an ended job).
            owners.Hide(record.Name);
            _ = Task.Run(async () =>
            {
                try
                {
                    await RemoveEnded(record, force: true, CancellationToken.None);
                    owners.Remove(record.Name);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or RpcException or TimeoutException or LaunchException)
                {
                    ServeLog.Failed(logger, identity, "Run", $"removing {record.Id}: {e.Message}");
                }
            }, CancellationToken.None);
        }
        await responseStream.WriteAsync(new RunEvent { Ended = ended }, context.CancellationToken);
    }

    /// <summary>Makes the caller's job: its owner on disk, then its container, running.</summary>
    private async Task<(ContainerRecord, JobOwner)> Make(CreateRequest request, ServerCallContext context)
    {
        var identity = AccessInterceptor.IdentityOf(context);
        var options = CreateArguments.From(request, node);
        var container = JobOwners.NewContainerName();
        var name = request.Name.Length > 0 ? request.Name : container;
        if (!Tls.PeerIdentity.IsValid(name)) throw CreateArguments.Invalid($"name {name}: 1 to 64 letters, digits, '.', '-', '_', '@'");
        var owner = new JobOwner(container, identity, name);
        lock (owners)
        {
            var mine = owners.All.Where(j => j.Owner == identity).ToList();
            if (mine.Count >= node.MaxJobsPerIdentity)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{identity} has {mine.Count} jobs, the most this node allows: remove some"));
            if (mine.Exists(j => j.Name == name)) throw new RpcException(new Status(StatusCode.AlreadyExists, $"you have a job named {name}"));
            // The owner is on disk before the container exists: a server that dies now leaves no job without one.
            owners.Add(owner);
        }
        try
        {
            return (await runtime.StartDetached(["--name", container, .. options], StartTimeout), owner);
        }
        catch (Exception e) when (e is UsageException or CommandFailedException or TimeoutException || Program.IsReported(e))
        {
            if (Load(container) is not null) await runtime.Run(["rm", "-f", container], CommandTimeout);
            owners.Remove(container);
            throw Failed(e is UsageException ? 2 : 1, e.Message);
        }
    }

    public override async Task<JobStatus> Stop(StopRequest request, ServerCallContext context)
    {
        var (record, owner) = Find(request.Id, context);
        if (request.TimeoutSeconds is < 0 or > 3600) throw CreateArguments.Invalid("timeout_seconds: 0 to 3600");
        var timeout = request.TimeoutSeconds == 0 ? 10 : request.TimeoutSeconds;
        await Change(["stop", "-t", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Id], context);
        return JobStates.Of(record, owner);
    }

    public override async Task<JobStatus> Kill(KillRequest request, ServerCallContext context)
    {
        var (record, owner) = Find(request.Id, context);
        var signal = request.Signal.Length == 0 ? "KILL" : request.Signal;
        if (signal.Length > 16 || !signal.All(char.IsAsciiLetterOrDigit)) throw CreateArguments.Invalid($"signal {signal}: a name (TERM, SIGKILL) or a number");
        await Change(["kill", "-s", signal, record.Id], context);
        return JobStates.Of(record, owner);
    }

    public override Task<JobStatus> Status(JobRef request, ServerCallContext context)
    {
        var (record, owner) = Find(request.Id, context);
        return Task.FromResult(JobStates.Of(record, owner));
    }

    public override Task<JobList> List(ListRequest request, ServerCallContext context)
    {
        var identity = AccessInterceptor.IdentityOf(context);
        var list = new JobList();
        foreach (var owner in Visible(identity))
        {
            if (Load(owner.Container) is not { } record) continue;
            var status = JobStates.Of(record, owner);
            if (request.All || status.State is JobStatus.Types.State.Running or JobStatus.Types.State.Created) list.Jobs.Add(status);
        }
        var ordered = list.Jobs.OrderBy(j => j.CreatedUnixMs).ToList();
        list.Jobs.Clear();
        list.Jobs.AddRange(ordered);
        return Task.FromResult(list);
    }

    public override async Task<RemoveReply> Remove(RemoveRequest request, ServerCallContext context)
    {
        var (record, _) = Find(request.Id, context);
        await RemoveEnded(record, request.Force, context.CancellationToken);
        owners.Remove(record.Name);
        return new RemoveReply { Id = record.Id };
    }

    /// <summary>Removes a job's container: one that ended and was cleaned up after is files to delete, here; else containode rm does it.</summary>
    private async Task RemoveEnded(ContainerRecord record, bool force, CancellationToken cancel)
    {
        // An ended job's monitor may still be cleaning up: rm waits for that a moment, as a client just told it ended would.
        for (var waited = 0; waited < 5000 && record.ReadExit() is not null && record.Status().State == ContainerStatus.Phase.Running; waited += 10)
            await Task.Delay(10, cancel);
        if (record.Status().State != ContainerStatus.Phase.Running && !File.Exists(record.CleanUpFile))
        {
            // Without starting containode for it: containode rm's own code.
            await Task.Run(() => Containode.Cli.RemoveCommands.RemoveOne(record, force: false), cancel);
        }
        else
        {
            var result = await runtime.Run(force ? ["rm", "-f", record.Id] : ["rm", record.Id], CommandTimeout, cancel);
            if (result.Status != 0) throw Failed(result);
        }
    }

    public override Task<JobStats> Stats(JobRef request, ServerCallContext context)
    {
        var (record, _) = Find(request.Id, context);
        var stats = new JobStats { Id = record.Id };
        if (StatsSources.Read(record.Name) is { } sources)
        {
            var usage = CgroupStats.Read(sources.Cgroups);
            stats.CpuNanoseconds = usage.CpuNanoseconds ?? 0;
            stats.MemoryBytes = usage.Memory ?? 0;
            stats.MemoryLimitBytes = usage.MemoryLimit ?? 0;
            stats.Pids = usage.Pids ?? 0;
            stats.BlockReadBytes = usage.BlockRead ?? 0;
            stats.BlockWriteBytes = usage.BlockWrite ?? 0;
        }
        return Task.FromResult(stats);
    }

    public override async Task Output(OutputRequest request, IServerStreamWriter<OutputChunk> responseStream, ServerCallContext context)
    {
        var (record, _) = Find(request.Id, context);
        using var slot = limits.OutputSlot();
        await JobOutput.Send(record, request.Follow, watches, feeds, responseStream, context.CancellationToken);
    }

    private IEnumerable<JobOwner> Visible(string identity) =>
        policy.IsAdmin(identity) ? owners.All : owners.All.Where(j => j.Owner == identity);

    /// <summary>The caller's job by ID, unique ID prefix or name; anything else is NotFound, whoever's it is.</summary>
    private (ContainerRecord, JobOwner) Find(string reference, ServerCallContext context)
    {
        var identity = AccessInterceptor.IdentityOf(context);
        AccessInterceptor.NoteJob(context, reference);
        if (reference.Length is > 0 and <= 64)
        {
            var visible = Visible(identity).Select(j => (Record: Load(j.Container), Owner: j)).Where(j => j.Record is not null).ToList();
            var matches = visible.Where(j => j.Record!.Id == reference || j.Owner.Name == reference).ToList();
            if (matches.Count == 0 && reference.All(char.IsAsciiHexDigitLower))
                matches = [.. visible.Where(j => j.Record!.Id.StartsWith(reference, StringComparison.Ordinal)).Take(2)];
            if (matches.Count > 1) throw new RpcException(new Status(StatusCode.InvalidArgument, $"{reference} names more than one job: give more of its ID"));
            if (matches.Count == 1) return (matches[0].Record!, matches[0].Owner);
        }
        throw new RpcException(new Status(StatusCode.NotFound, $"no such job: {reference}"));
    }

    private ContainerRecord? Load(string container)
    {
        try { return store.Find(container); }
        catch (Exception e) when (e is IOException or ConfigException) { return null; }
    }

    private async Task Change(IReadOnlyList<string> args, ServerCallContext context)
    {
        var result = await runtime.Run(args, CommandTimeout, context.CancellationToken);
        if (result.Status != 0) throw Failed(result);
    }

    private static RpcException Failed(RuntimeResult result) => Failed(result.Status, result.Error.Length > 0 ? result.Error : $"containode failed ({result.Status})");

    /// <summary>A refusal as containode's status says it: 2 is the request's fault; a running container's, the job's state.</summary>
    private static RpcException Failed(int status, string error) =>
        new(new Status(status == 2 ? StatusCode.InvalidArgument : error.Contains("is running", StringComparison.Ordinal) ? StatusCode.FailedPrecondition : StatusCode.Aborted, error));
}
