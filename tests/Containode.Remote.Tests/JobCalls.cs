using System.Text;

namespace Containode.Remote.Tests;

/// <summary>What the tests ask of a node, in a line each.</summary>
internal static class JobCalls
{
    public static JobStatus Shell(this Jobs.JobsClient client, string script, Action<CreateRequest>? more = null)
    {
        var request = new CreateRequest { Root = "busybox", Command = { "/bin/sh", "-c", script } };
        more?.Invoke(request);
        return client.Create(request, deadline: DateTime.UtcNow.AddSeconds(60));
    }

    /// <summary>The output as it came: stdout and stderr, and the two interleaved, a tag where the stream changes (however it was chunked).</summary>
    public static async Task<(string Stdout, string Stderr, string Tagged)> Output(this Jobs.JobsClient client, string id, bool follow = true)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var tagged = new StringBuilder();
        using var call = client.Output(new OutputRequest { Id = id, Follow = follow }, deadline: DateTime.UtcNow.AddSeconds(60));
        OutputChunk.Types.Stream? last = null;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            var text = chunk.Data.ToStringUtf8();
            (chunk.Stream == OutputChunk.Types.Stream.Stderr ? stderr : stdout).Append(text);
            if (chunk.Stream != last) tagged.Append(chunk.Stream == OutputChunk.Types.Stream.Stderr ? "E:" : "O:");
            tagged.Append(text);
            last = chunk.Stream;
        }
        return (stdout.ToString(), stderr.ToString(), tagged.ToString());
    }

    public static void Running(this Jobs.JobsClient client, string id) =>
        Eventually.True(() => client.Status(new JobRef { Id = id }).State == JobStatus.Types.State.Running, $"job {id} to run");

    public static JobStatus Ended(this Jobs.JobsClient client, string id, TimeSpan? timeout = null)
    {
        JobStatus status = null!;
        Eventually.True(() => (status = client.Status(new JobRef { Id = id })).State is not (JobStatus.Types.State.Running or JobStatus.Types.State.Created),
            $"job {id} to end", timeout ?? TimeSpan.FromSeconds(30));
        return status;
    }

    public static StatusCode Refusal(Action call)
    {
        var e = Assert.Throws<RpcException>(call);
        return e.StatusCode;
    }
}
