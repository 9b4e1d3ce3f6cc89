using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>
/// A job's output, streamed from its log files (container.log.1 if the log was started anew, then container.log),
/// never held whole: one read buffer and one chunk per reader, and the client's flow control sets the pace. With
/// follow, it goes on until the job has ended and everything it wrote was sent.
/// </summary>
public static class JobOutput
{
    private const int ReadSize = 128 * 1024;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the log stream, reopened when it rotates, is disposed then and in the finally")]
    public static async Task Send(ContainerRecord job, bool follow, LogWatch watches, IServerStreamWriter<OutputChunk> writer, CancellationToken cancel)
    {
        using var watch = follow ? watches.Acquire(job.Lib) : null;
        var chunker = new CriChunker();
        var buffer = new byte[ReadSize];
        var older = job.LogFile + ".1";
        if (File.Exists(older))
            await using (var old = Open(older)) if (old is not null) await Copy(old, buffer, chunker, writer, cancel);

        var log = Open(job.LogFile);
        try
        {
            while (true)
            {
                // Whether it still runs is asked before the last read, so nothing it wrote before it ended is missed. The
                // exit status is written once the log has all; the monitor lives on a little for the clean-up.
                var running = follow && !File.Exists(job.ExitFile) && job.Status().State == ContainerStatus.Phase.Running;
                log ??= Open(job.LogFile);
                if (log is not null)
                {
                    await Copy(log, buffer, chunker, writer, cancel);
                    if (new FileInfo(job.LogFile) is { Exists: true } now && now.Length < log.Position)
                    {
                        // Started anew past its size limit: the next file is the new one.
                        await log.DisposeAsync();
                        log = null;
                        continue;
                    }
                }
                if (!running) return;
                await watch!.Next(cancel);
            }
        }
        finally
        {
            if (log is not null) await log.DisposeAsync();
        }
    }

    private static async Task Copy(FileStream log, byte[] buffer, CriChunker chunker, IServerStreamWriter<OutputChunk> writer, CancellationToken cancel)
    {
        int n;
        while ((n = await log.ReadAsync(buffer, cancel)) > 0)
            foreach (var chunk in chunker.Feed(buffer.AsSpan(0, n))) await writer.WriteAsync(chunk, cancel);
    }

    private static FileStream? Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }
}
