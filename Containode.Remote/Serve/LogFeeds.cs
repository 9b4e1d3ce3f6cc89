namespace Containode.Remote.Serve;

/// <summary>The jobs' <see cref="LogFeed"/>s: one per followed job, however many follow it, dropped with its last follower.</summary>
public sealed class LogFeeds(LogWatch watches)
{
    private readonly Dictionary<string, LogFeed> feeds = new(StringComparer.Ordinal);

    /// <summary>Joins the job's feed; disposing the share leaves it.</summary>
    public Share Join(ContainerRecord job)
    {
        lock (feeds)
        {
            if (!feeds.TryGetValue(job.Lib, out var feed)) feeds[job.Lib] = feed = new LogFeed(job, watches);
            return new Share(this, job.Lib, feed, feed.Join());
        }
    }

    public sealed class Share(LogFeeds owner, string key, LogFeed feed, LogFeed.Cursor cursor) : IAsyncDisposable
    {
        private bool left;

        public Task<IReadOnlyList<Api.OutputChunk>?> After(CancellationToken cancel) => feed.After(cursor, cancel);

        /// <summary>Leaves the feed (at once, so that what it kept for this follower can go).</summary>
        public async ValueTask DisposeAsync()
        {
            if (left) return;
            left = true;
            lock (owner.feeds)
            {
                if (feed.Leave(cursor) > 0) return;
                owner.feeds.Remove(key);
            }
            await feed.DisposeAsync();
        }
    }
}
