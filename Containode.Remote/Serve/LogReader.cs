using Containode.Remote.Api;

namespace Containode.Remote.Serve;

/// <summary>
/// Reads a job's output from its log files (container.log.1 if the log was started anew, then container.log) and
/// hands it out as chunks, a read at a time: one read buffer and one chunker, never the whole output. With follow,
/// it waits for more until the job has ended and everything it wrote was read.
/// </summary>
public sealed class LogReader(ContainerRecord job, bool follow, LogWatch.Watch? watch) : IAsyncDisposable
{
    /// <remarks>About two chunks (<see cref="CriChunker.MaxChunk"/>) of log a read: a follower reading on its own holds little while its client is slow.</remarks>
    private const int ReadSize = 32 * 1024;

    private readonly CriChunker chunker = new();
    private readonly byte[] buffer = new byte[ReadSize];
    private FileStream? older = Open(job.LogFile + ".1");
    private FileStream? log;
    private bool? running;

    /// <summary>The next chunks (never none), or null once the job's output has all been read.</summary>
    public async Task<List<OutputChunk>?> Next(CancellationToken cancel)
    {
        while (true)
        {
            if (older is not null)
            {
                if (await Read(older, cancel) is { } fromOlder) return fromOlder;
                await older.DisposeAsync();
                older = null;
                continue;
            }
            // Whether it still runs is asked before a pass over the log, so nothing it wrote before it ended is missed.
            // The exit status is written once the log has all; the monitor lives on a little for the clean-up.
            var armed = watch?.Armed;
            running ??= follow && !File.Exists(job.ExitFile) && job.Status().State == ContainerStatus.Phase.Running;
            log ??= Open(job.LogFile);
            if (log is not null)
            {
                if (await Read(log, cancel) is { } chunks) return chunks;
                if (new FileInfo(job.LogFile) is { Exists: true } now && now.Length < log.Position)
                {
                    // Started anew past its size limit: the next file is the new one.
                    await log.DisposeAsync();
                    log = null;
                    running = null;
                    continue;
                }
            }
            if (running == false) return null;
            await LogWatch.Watch.Next(armed!, cancel);
            running = null;
        }
    }

    /// <summary>The chunks the next read completes; null at the file's end.</summary>
    private async Task<List<OutputChunk>?> Read(FileStream file, CancellationToken cancel)
    {
        int n;
        while ((n = await file.ReadAsync(buffer, cancel)) > 0)
            if (chunker.Feed(buffer.AsSpan(0, n)) is { Count: > 0 } chunks) return [.. chunks];
        return null;
    }

    private static FileStream? Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        if (older is not null) await older.DisposeAsync();
        if (log is not null) await log.DisposeAsync();
    }
}
