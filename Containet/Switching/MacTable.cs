using System.Collections.Concurrent;

namespace Containet.Switching;

/// <summary>
/// Where each source MAC was last seen. Lookups and refreshes are lock-free (the per-frame path); adding,
/// moving and evicting take a lock. Defences, after VDE2 and Open vSwitch: a MAC must stay put for a minimum
/// time before it may move, and when the table is full the port holding the most entries loses its oldest one,
/// so a port flooding random source MACs only evicts its own.
/// </summary>
public sealed class MacTable<TPort>(int capacity, long maxAgeMs, long minMoveMs) where TPort : class
{
    public sealed class Entry(TPort port, long seen)
    {
        public volatile TPort Port = port;
        public long LastSeen = seen;
    }

    private readonly ConcurrentDictionary<ulong, Entry> entries = new();
    private readonly Dictionary<TPort, Queue<ulong>> learnedBy = new(ReferenceEqualityComparer.Instance);
    private readonly Lock gate = new();

    public int Count => entries.Count;
    public int Capacity => capacity;

    /// <summary>What <see cref="Learn"/> did, for logging and tests.</summary>
    public enum Outcome { Refreshed, Added, Moved, Held, Ignored }

    public Outcome Learn(ulong mac, TPort port, long nowMs)
    {
        if (Mac.IsGroup(mac)) return Outcome.Ignored;
        if (entries.TryGetValue(mac, out var e) && ReferenceEquals(e.Port, port))
        {
            Volatile.Write(ref e.LastSeen, nowMs);
            return Outcome.Refreshed;
        }
        lock (gate)
        {
            if (entries.TryGetValue(mac, out e))
            {
                if (ReferenceEquals(e.Port, port)) { e.LastSeen = nowMs; return Outcome.Refreshed; }
                if (nowMs - e.LastSeen < minMoveMs) return Outcome.Held;
                e.Port = port;
                e.LastSeen = nowMs;
                Remember(port, mac);
                return Outcome.Moved;
            }
            if (entries.Count >= capacity && !EvictFromLargest()) return Outcome.Held;
            entries[mac] = new Entry(port, nowMs);
            Remember(port, mac);
            return Outcome.Added;
        }
    }

    public TPort? Lookup(ulong mac, long nowMs) =>
        entries.TryGetValue(mac, out var e) && nowMs - Volatile.Read(ref e.LastSeen) <= maxAgeMs ? e.Port : null;

    /// <summary>Forgets every MAC learned on a port that went away.</summary>
    public int Flush(TPort port)
    {
        lock (gate)
        {
            if (!learnedBy.Remove(port, out var macs)) return 0;
            var removed = 0;
            foreach (var mac in macs)
                if (entries.TryGetValue(mac, out var e) && ReferenceEquals(e.Port, port) && entries.TryRemove(mac, out _))
                    removed++;
            return removed;
        }
    }

    /// <summary>Drops entries not seen for longer than the age limit.</summary>
    public int Age(long nowMs)
    {
        var removed = 0;
        lock (gate)
        {
            foreach (var (mac, e) in entries)
                if (nowMs - e.LastSeen > maxAgeMs && entries.TryRemove(mac, out _))
                    removed++;
            // Rebuild the per-port queues from the live entries so moved and aged MACs do not pile up in them.
            foreach (var q in learnedBy.Values) q.Clear();
            foreach (var (mac, e) in entries) Remember(e.Port, mac);
        }
        return removed;
    }

    public IEnumerable<(ulong Mac, TPort Port, long LastSeen)> Snapshot()
    {
        foreach (var (mac, e) in entries)
            yield return (mac, e.Port, e.LastSeen);
    }

    private void Remember(TPort port, ulong mac)
    {
        if (!learnedBy.TryGetValue(port, out var q))
            learnedBy[port] = q = new Queue<ulong>();
        q.Enqueue(mac);
    }

    private bool EvictFromLargest()
    {
        Queue<ulong>? largest = null;
        TPort? owner = null;
        foreach (var (port, q) in learnedBy)
            if (largest is null || q.Count > largest.Count) (largest, owner) = (q, port);
        while (largest is { Count: > 0 })
        {
            var mac = largest.Dequeue();
            // The queue may hold MACs that moved away or aged out: skip them.
            if (entries.TryGetValue(mac, out var e) && ReferenceEquals(e.Port, owner) && entries.TryRemove(mac, out _))
                return true;
        }
        return false;
    }
}
