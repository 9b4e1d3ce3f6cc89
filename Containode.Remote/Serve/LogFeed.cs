using Containode.Remote.Api;

namespace Containode.Remote.Serve;

/// <summary>
/// A job's output read and parsed once for all who follow it: the follower that wants what nobody has read yet
/// reads it (one at a time), and every follower sends the same chunks. The chunks some follower still needs are
/// kept, up to <see cref="MaxKeptBytes"/>; a follower that falls further behind gets nothing more here and reads
/// the files on its own (<see cref="JobOutput"/>), so a slow client holds no shared memory and slows nobody. The
/// one reading waits for the job's next output without holding the others: they take what is kept meanwhile.
/// </summary>
public sealed class LogFeed : IAsyncDisposable
{
    public const int MaxKeptBytes = 1 << 20;

    /// <summary>Where a follower is: the number of the next chunk it wants.</summary>
    public sealed class Cursor
    {
        internal long Next;
    }

    private readonly object state = new();
    private readonly LogReader reader;
    private readonly LogWatch.Watch watch;
    private readonly List<OutputChunk> kept = [];
    private readonly List<Cursor> cursors = [];
    private long first, keptBytes;
    private bool ended, reading;
    private TaskCompletionSource read = Signal();

    public LogFeed(ContainerRecord job, LogWatch watches)
    {
        watch = watches.Acquire(job.Lib);
        reader = new LogReader(job, follow: true, watch);
    }

    /// <summary>A new follower, from the first chunk: <see cref="After"/> says if that is gone already.</summary>
    public Cursor Join()
    {
        var cursor = new Cursor();
        lock (state) cursors.Add(cursor);
        return cursor;
    }

    /// <summary>Takes the follower out; returns how many are left.</summary>
    public int Leave(Cursor cursor)
    {
        lock (state)
        {
            cursors.Remove(cursor);
            return cursors.Count;
        }
    }

    /// <summary>The chunks after the cursor (it moves past them), waiting for them if need be; null when the output has
    /// all been sent; none when this follower fell behind what is kept.</summary>
    public async Task<IReadOnlyList<OutputChunk>?> After(Cursor cursor, CancellationToken cancel)
    {
        while (true)
        {
            Task? another = null;
            lock (state)
            {
                if (cursor.Next < first) return [];
                var next = first + kept.Count;
                if (cursor.Next < next)
                {
                    var chunks = kept.GetRange((int)(cursor.Next - first), (int)(next - cursor.Next));
                    cursor.Next = next;
                    Forget(0);
                    return chunks;
                }
                if (ended) return null;
                if (reading) another = read.Task;
                else reading = true;
            }
            if (another is not null) await another.WaitAsync(cancel);
            else await ReadMore(cancel);
        }
    }

    /// <summary>Reads the job's next output for every follower, and wakes those waiting for it (also when the reading
    /// failed or was cancelled: one of them reads instead).</summary>
    private async Task ReadMore(CancellationToken cancel)
    {
        List<OutputChunk>? more = null;
        var finished = false;
        try
        {
            more = await reader.Next(cancel);
            finished = more is null;
        }
        finally
        {
            lock (state)
            {
                if (more is not null)
                {
                    var bytes = more.Sum(c => (long)c.Data.Length);
                    Forget(bytes);
                    kept.AddRange(more);
                    keptBytes += bytes;
                }
                ended |= finished;
                reading = false;
                var done = read;
                read = Signal();
                done.SetResult();
            }
        }
    }

    /// <summary>Drops the chunks every follower has had, and the oldest beyond the budget once <paramref name="coming"/> more are kept.</summary>
    private void Forget(long coming)
    {
        var wanted = cursors.Count == 0 ? first + kept.Count : cursors.Min(c => c.Next);
        var drop = 0;
        while (drop < kept.Count && (first + drop < wanted || keptBytes + coming > MaxKeptBytes))
            keptBytes -= kept[drop++].Data.Length;
        kept.RemoveRange(0, drop);
        first += drop;
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        watch.Dispose();
    }

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
