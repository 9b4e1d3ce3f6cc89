namespace Containode.Remote.Tests;

/// <summary>A job's output over the API: whole, in order, tagged by stream, followed until the job ends, the same for every reader.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class OutputTests(BusyboxRoot root)
{
    private static string Numbers(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => i + "\n"));

    [RootFact]
    public async Task Output_arrives_whole_and_in_order_tagged_by_stream_and_again_after_the_job_exited()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        // The pauses let the monitor drain one pipe before the other stream writes: the log keeps the order it read them in.
        var job = alice.Shell("seq 1 20000; sleep 0.5; echo oops >&2; sleep 0.5; seq 20001 20010; echo done");

        var followed = await alice.Output(job.Id);
        var ended = alice.Ended(job.Id);
        var again = await alice.Output(job.Id, follow: false);

        Assert.Equal(Numbers(1, 20000) + Numbers(20001, 20010) + "done\n", followed.Stdout);
        Assert.Equal("oops\n", followed.Stderr);
        Assert.Equal("O:" + Numbers(1, 20000) + "E:oops\nO:" + Numbers(20001, 20010) + "done\n", followed.Tagged);
        Assert.Equal(followed, again);
        Assert.Equal(JobStatus.Types.State.Exited, ended.State);
        Assert.Equal(0, ended.ExitCode);
    }

    [RootFact]
    public async Task Follow_streams_while_the_job_runs_and_ends_when_it_ends_and_ten_followers_get_the_same_bytes()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var job = alice.Shell("i=0; while [ $i -lt 50 ]; do echo line $i; i=$((i+1)); sleep 0.02; done; echo bye >&2; exit 3");

        var readers = Enumerable.Range(0, 10).Select(_ => alice.Output(job.Id)).ToArray();
        var outputs = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));

        var expected = string.Concat(Enumerable.Range(0, 50).Select(i => $"line {i}\n"));
        Assert.All(outputs, o => Assert.Equal(expected, o.Stdout));
        Assert.All(outputs, o => Assert.Equal("bye\n", o.Stderr));
        Assert.All(outputs, o => Assert.Equal(outputs[0].Tagged, o.Tagged));
        var status = alice.Status(new JobRef { Id = job.Id });
        Assert.Equal(JobStatus.Types.State.Exited, status.State);
        Assert.Equal(3, status.ExitCode);
    }
}
