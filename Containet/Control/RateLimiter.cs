namespace Containet.Control;

/// <summary>
/// At most a few log lines per peer per second; the rest are counted and reported once their second is over,
/// so one client that sends thousands of bad requests costs a few lines, not megabytes of log.
/// </summary>
public sealed class RateLimiter(int perSecond)
{
    private readonly Dictionary<string, Window> windows = [];

    private sealed class Window
    {
        public long Start;
        public int Used;
        public int Suppressed;
    }

    /// <summary>Whether a line about <paramref name="peer"/> may be logged now; if not, it is counted.</summary>
    public bool Allow(string peer, long nowMs)
    {
        lock (windows)
        {
            if (!windows.TryGetValue(peer, out var w) || nowMs - w.Start >= 1000)
            {
                if (w is not null && w.Suppressed > 0) return Count(w);
                windows[peer] = new Window { Start = nowMs, Used = 1 };
                return true;
            }
            if (w.Used < perSecond)
            {
                w.Used++;
                return true;
            }
            return Count(w);
        }
    }

    private static bool Count(Window w)
    {
        w.Suppressed++;
        return false;
    }

    /// <summary>The peers whose second is over with lines left out, and how many; they start afresh.</summary>
    public List<(string Peer, int Count)> TakeSuppressed(long nowMs)
    {
        var done = new List<(string, int)>();
        lock (windows)
        {
            foreach (var (peer, w) in windows)
            {
                if (nowMs - w.Start < 1000) continue;
                if (w.Suppressed > 0) done.Add((peer, w.Suppressed));
                windows.Remove(peer);
            }
        }
        return done;
    }
}
