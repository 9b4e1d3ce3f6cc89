namespace Containode.Remote.Serve;

/// <summary>
/// Wakes the readers of a job's log when its state directory changes (the log grows, the exit status is written):
/// one inotify watch per job, however many readers follow it, dropped with its last reader. Readers also wake
/// every <see cref="Fallback"/>, for what inotify does not see (a monitor killed outright).
/// </summary>
public sealed class LogWatch
{
    public static readonly TimeSpan Fallback = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, Watch> watches = new(StringComparer.Ordinal);

    public sealed class Watch : IDisposable
    {
        private readonly LogWatch owner;
        private readonly string dir;
        private readonly FileSystemWatcher? watcher;
        private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        internal int Readers;

        internal Watch(LogWatch owner, string dir)
        {
            this.owner = owner;
            this.dir = dir;
            try
            {
                watcher = new FileSystemWatcher(dir) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName };
                watcher.Changed += (_, _) => Wake();
                watcher.Created += (_, _) => Wake();
                watcher.Renamed += (_, _) => Wake();
                watcher.EnableRaisingEvents = true;
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                watcher?.Dispose();
                watcher = null; // the fallback's polling serves
            }
        }

        /// <summary>The next change from now on: taken before a reader looks, so that a change while it looks is not missed.</summary>
        public Task Armed => Volatile.Read(ref changed).Task;

        /// <summary>That change (<see cref="Armed"/>), or the fallback interval; the caller then looks again.</summary>
        public static Task Next(Task armed, CancellationToken cancel) =>
            armed.WaitAsync(Fallback, cancel).ContinueWith(_ => { }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        private void Wake() => Interlocked.Exchange(ref changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public void Dispose() => owner.Release(this, dir);

        internal void Close() => watcher?.Dispose();
    }

    public Watch Acquire(string dir)
    {
        lock (watches)
        {
            if (!watches.TryGetValue(dir, out var watch)) watches[dir] = watch = new Watch(this, dir);
            watch.Readers++;
            return watch;
        }
    }

    private void Release(Watch watch, string dir)
    {
        lock (watches)
        {
            if (--watch.Readers > 0) return;
            watches.Remove(dir);
        }
        watch.Close();
    }
}
