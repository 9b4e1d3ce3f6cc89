using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Client;

/// <summary>run against a remote node: -d prints the job's ID; in the foreground the output follows as it comes, and the job's status is the exit status.</summary>
public static class RemoteRun
{
    public static async Task<int> Run(CreateRequest request, bool detach, bool remove, Jobs.JobsClient client)
    {
        if (detach)
        {
            Console.Out.WriteLine((await client.CreateAsync(request)).Id);
            return 0;
        }
        JobStatus ended;
        try
        {
            ended = await InOneCall(client.Run(new RunRequest { Create = request, Remove = remove }));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // A node without Run: its calls one by one.
            var job = await client.CreateAsync(request);
            await Copy(client.Output(new OutputRequest { Id = job.Id, Follow = true }));
            ended = await client.StatusAsync(new JobRef { Id = job.Id });
            if (remove) await client.RemoveAsync(new RemoveRequest { Id = job.Id });
        }
        if (ended.OomKilled) Console.Error.WriteLine($"containode: {ended.Id} was killed: out of memory");
        return ended.HasExitCode ? ended.ExitCode : 1;
    }

    /// <summary>A Run call's output, each chunk to the stream it was written on, and how the job ended.</summary>
    private static async Task<JobStatus> InOneCall(AsyncServerStreamingCall<RunEvent> call)
    {
        using (call)
        {
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            JobStatus? ended = null;
            await foreach (var e in call.ResponseStream.ReadAllAsync())
            {
                if (e.Output is { } chunk) Write(chunk, stdout, stderr);
                ended = e.Ended ?? ended;
            }
            return ended ?? throw new RpcException(new Status(StatusCode.Internal, "the node ended the run without the job's status"));
        }
    }

    /// <summary>A job's output, each chunk to the stream it was written on.</summary>
    public static async Task<int> Copy(AsyncServerStreamingCall<OutputChunk> call)
    {
        using (call)
        {
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            await foreach (var chunk in call.ResponseStream.ReadAllAsync()) Write(chunk, stdout, stderr);
        }
        return 0;
    }

    private static void Write(OutputChunk chunk, Stream stdout, Stream stderr)
    {
        var target = chunk.Stream == OutputChunk.Types.Stream.Stderr ? stderr : stdout;
        target.Write(chunk.Data.Span);
        target.Flush();
    }
}
