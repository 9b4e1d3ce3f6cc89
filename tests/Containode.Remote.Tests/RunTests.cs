namespace Containode.Remote.Tests;

/// <summary>Run, a foreground run in one call: the job's start, its whole output, how it ended; with remove, the job is gone once it answered.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class RunTests(BusyboxRoot root)
{
    private static async Task<List<RunEvent>> Events(Jobs.JobsClient client, RunRequest request)
    {
        using var call = client.Run(request, deadline: DateTime.UtcNow.AddSeconds(60));
        var events = new List<RunEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
        return events;
    }

    private static RunRequest Shell(string script, bool remove) =>
        new() { Create = new CreateRequest { Root = "busybox", Command = { "/bin/sh", "-c", script } }, Remove = remove };

    [RootFact]
    public async Task Run_sends_the_start_then_the_output_in_order_then_how_the_job_ended()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        var events = await Events(alice, Shell("seq 1 3000; echo oops >&2; exit 7", remove: false));

        Assert.Equal(RunEvent.EventOneofCase.Started, events[0].EventCase);
        Assert.Equal(RunEvent.EventOneofCase.Ended, events[^1].EventCase);
        var output = events.Where(e => e.EventCase == RunEvent.EventOneofCase.Output).Select(e => e.Output).ToList();
        Assert.Equal(output.Count, events.Count - 2);
        Assert.Equal(string.Concat(Enumerable.Range(1, 3000).Select(i => i + "\n")),
            string.Concat(output.Where(c => c.Stream == OutputChunk.Types.Stream.Stdout).Select(c => c.Data.ToStringUtf8())));
        Assert.Equal("oops\n", string.Concat(output.Where(c => c.Stream == OutputChunk.Types.Stream.Stderr).Select(c => c.Data.ToStringUtf8())));
        var ended = events[^1].Ended;
        Assert.Equal(events[0].Started.Id, ended.Id);
        Assert.Equal(JobStatus.Types.State.Exited, ended.State);
        Assert.Equal(7, ended.ExitCode);
        Assert.Equal(7, alice.Status(new JobRef { Id = ended.Id }).ExitCode);
        Assert.Contains("alice Run " + ended.Id + " OK", node.Log);
    }

    [RootFact]
    public async Task Run_with_remove_leaves_no_job_in_view_once_it_answered_and_its_files_go()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        var events = await Events(alice, Shell("echo hi", remove: true));

        var id = events[^1].Ended.Id;
        Assert.Equal(0, events[^1].Ended.ExitCode);
        Assert.Empty(alice.List(new ListRequest { All = true }).Jobs);
        Assert.Empty(node.Client("ops").List(new ListRequest { All = true }).Jobs);
        Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => alice.Status(new JobRef { Id = id })));
        Eventually.True(() => !Directory.Exists(Path.Combine(node.Environment["CONTAINET_LIB_DIR"], "containers", id)), $"{id}'s files to be removed");
    }

    [RootFact]
    public void Run_is_allowed_with_create_output_and_status_and_its_remove_with_remove()
    {
        using var node = new RemoteNode(root.Path, "--allow", "bob=List,Status,Create", "--allow", "alice=Create,Output,Status");
        var bob = node.Client("bob");
        var alice = node.Client("alice");

        Assert.Equal(StatusCode.PermissionDenied, JobCalls.Refusal(() => Events(bob, Shell("true", remove: false)).GetAwaiter().GetResult()));
        Assert.Equal(StatusCode.PermissionDenied, JobCalls.Refusal(() => Events(alice, Shell("true", remove: true)).GetAwaiter().GetResult()));
        Assert.Empty(node.Client("ops").List(new ListRequest { All = true }).Jobs);
        Assert.Equal(0, Events(alice, Shell("true", remove: false)).GetAwaiter().GetResult()[^1].Ended.ExitCode);
        Assert.Contains("bob Run - PermissionDenied", node.Log);
    }

    [RootFact]
    public void Run_checks_its_request_as_create_does()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => Events(alice, new RunRequest { Create = new CreateRequest { Root = "busybox" } }).GetAwaiter().GetResult()));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => Events(alice, new RunRequest()).GetAwaiter().GetResult()));
        Assert.Empty(alice.List(new ListRequest { All = true }).Jobs);
    }
}
