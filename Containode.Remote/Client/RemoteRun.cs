using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Client;

/// <summary>run against a remote node: -d prints the job's ID; in the foreground the output follows as it comes, and the job's status is the exit status.</summary>
public static class RemoteRun
{
    public static async Task<int> Run(CreateRequest request, bool detach, bool remove, Jobs.JobsClient client)
    {
        var job = await client.CreateAsync(request);
        if (detach)
        {
            Console.Out.WriteLine(job.Id);
            return 0;
        }
        await Copy(client.Output(new OutputRequest { Id = job.Id, Follow = true }));
        var ended = await client.StatusAsync(new JobRef { Id = job.Id });
        if (remove) await client.RemoveAsync(new RemoveRequest { Id = job.Id });
        if (ended.OomKilled) Console.Error.WriteLine($"containode: {job.Id} was killed: out of memory");
        return ended.HasExitCode ? ended.ExitCode : 1;
    }

    /// <summary>A job's output, each chunk to the stream it was written on.</summary>
    public static async Task<int> Copy(AsyncServerStreamingCall<OutputChunk> call)
    {
        using (call)
        {
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                var target = chunk.Stream == OutputChunk.Types.Stream.Stderr ? stderr : stdout;
                target.Write(chunk.Data.Span);
                target.Flush();
            }
        }
        return 0;
    }
}
