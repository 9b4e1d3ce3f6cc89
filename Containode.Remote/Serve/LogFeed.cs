using Containode.Remote.Api;

namespace Containode.Remote.Serve;

/// <summary>
/// A job's output read and parsed once for all who follow it: the follower that wants what nobody has read yet
/// reads it (one at a time), and every follower sends the same chunks. The chunks some follower still needs are
/// kept, up to <see cref="MaxKeptBytes"/>; a follower that falls further behind gets nothing more here and reads
/// the files on its own (<see cref="JobOutput"/>), so a slow client holds no shared memory and slows nobody.
/// </summary>
public sealed class LogFeed : IAsyncDisposable
{
    public const int MaxKeptBytes = 1 << 20;

    /// <summary>Where a follower is: the number of the next chunk it wants.</summary>
    public sealed class Cursor
    {
        internal long Next;
    }

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly LogReader reader;
    private readonly LogWatch.Watch watch;
    private readonly List<OutputChunk> kept = [];
    private readonly List<Cursor> cursors = [];
    private long first, keptBytes;
    private bool ended;

    public LogFeed(ContainerRecord job, LogWatch watches)
    {
        watch = watches.Acquire(job.Lib);
        reader = new LogReader(job, follow: true, watch);
    }

    /// <summary>A new follower, from the first chunk: <see cref="After"/> says if that is gone already.</summary>
    public Cursor Join()
    {
        var cursor = new Cursor();
        lock (cursors) cursors.Add(cursor);
        return cursor;
    }

    /// <summary>Takes the follower out; returns how many are left.</summary>
    public int Leave(Cursor cursor)
    {
        lock (cursors)
        {
            cursors.Remove(cursor);
            return cursors.Count;
        }
    }

    /// <summary>The chunks after the cursor (it moves past them), waiting for them if need be; null when the output has
    /// all been sent; none when this follower fell behind what is kept.</summary>
    public async Task<IReadOnlyList<OutputChunk>?> After(Cursor cursor, CancellationToken cancel)
    {
        await gate.WaitAsync(cancel);
        try
        {
            while (true)
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
                if (await reader.Next(cancel) is not { } read)
                {
                    ended = true;
                    continue;
                }
                var bytes = read.Sum(c => (long)c.Data.Length);
                Forget(bytes);
                kept.AddRange(read);
                keptBytes += bytes;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops the chunks every follower has had, and the oldest beyond the budget once <paramref name="coming"/> more are kept.</summary>
    private void Forget(long coming)
    {
        long wanted;
        lock (cursors) wanted = cursors.Count == 0 ? first + kept.Count : cursors.Min(c => c.Next);
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
        gate.Dispose();
    }
}
