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

    [RootFact]
    public async Task A_follower_that_falls_far_behind_the_others_still_gets_every_byte_in_order()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        // About 5.9 MB, far more than a job's feed keeps for its slowest follower (LogFeed.MaxKeptBytes); the pause
        // lets both followers join before the first byte.
        var job = alice.Shell("sleep 2; seq 1 800000; echo oops >&2");
        using var slow = alice.Output(new OutputRequest { Id = job.Id, Follow = true }, deadline: DateTime.UtcNow.AddSeconds(120));
        var fast = alice.Output(job.Id);
        Assert.True(await slow.ResponseStream.MoveNext(CancellationToken.None));
        var chunks = new List<OutputChunk> { slow.ResponseStream.Current };
        // The fast follower reads it all while the slow one reads nothing: the feed drops what the slow one had not had.
        var whole = await fast.WaitAsync(TimeSpan.FromSeconds(120));
        while (await slow.ResponseStream.MoveNext(CancellationToken.None)) chunks.Add(slow.ResponseStream.Current);

        string Of(OutputChunk.Types.Stream stream) => string.Concat(chunks.Where(c => c.Stream == stream).Select(c => c.Data.ToStringUtf8()));
        Assert.Equal(Numbers(1, 800000), whole.Stdout);
        Assert.Equal("oops\n", whole.Stderr);
        Assert.Equal(whole.Stdout, Of(OutputChunk.Types.Stream.Stdout));
        Assert.Equal(whole.Stderr, Of(OutputChunk.Types.Stream.Stderr));
    }

    [RootFact]
    public async Task A_follower_gets_what_was_written_at_once_while_another_waits_for_more()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var job = alice.Shell("echo one; sleep 600");
        using var first = alice.Output(new OutputRequest { Id = job.Id, Follow = true }, deadline: DateTime.UtcNow.AddSeconds(120));
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        // The first follower's reader now waits for the job's next line, which never comes; the second one must not.
        using var second = alice.Output(new OutputRequest { Id = job.Id, Follow = true }, deadline: DateTime.UtcNow.AddSeconds(120));
        var arrived = await second.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("one\n", first.ResponseStream.Current.Data.ToStringUtf8());
        Assert.True(arrived);
        Assert.Equal("one\n", second.ResponseStream.Current.Data.ToStringUtf8());
    }
}
