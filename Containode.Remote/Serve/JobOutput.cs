using Containode.Remote.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>
/// A job's output to one client, from the first byte; with follow, until the job has ended and everything it wrote
/// was sent. Followers share the job's <see cref="LogFeed"/>; one that fell behind it, and a reader without follow,
/// read the log files on their own (<see cref="LogReader"/>), from where they are. The client's flow control sets the pace.
/// </summary>
public static class JobOutput
{
    public static async Task Send(ContainerRecord job, bool follow, LogWatch watches, LogFeeds feeds, IServerStreamWriter<OutputChunk> writer, CancellationToken cancel)
    {
        long sent = 0;
        if (follow)
        {
            await using var share = feeds.Join(job);
            while (true)
            {
                var chunks = await share.After(cancel);
                if (chunks is null) return;
                if (chunks.Count == 0) break; // fell behind
                foreach (var chunk in chunks)
                {
                    await writer.WriteAsync(chunk, cancel);
                    sent += chunk.Data.Length;
                }
            }
        }
        using var watch = follow ? watches.Acquire(job.Lib) : null;
        await using var reader = new LogReader(job, follow, watch);
        var skip = sent;
        while (await reader.Next(cancel) is { } chunks)
        {
            foreach (var chunk in chunks)
            {
                if (skip >= chunk.Data.Length)
                {
                    skip -= chunk.Data.Length;
                    continue;
                }
                await writer.WriteAsync(skip == 0 ? chunk : new OutputChunk { Stream = chunk.Stream, Data = ByteString.CopyFrom(chunk.Data.Span[(int)skip..]) }, cancel);
                skip = 0;
            }
        }
    }
}
