using System.Collections.Concurrent;

namespace Containet.Control;

/// <summary>
/// A few threads, made once at start, that carry out control requests off the event loop: a take-netns or a
/// remove-etherfd takes milliseconds, and the switch must never need a new thread to answer (a pids cgroup or a
/// thread limit could refuse it one).
/// </summary>
public sealed class ControlWorkers : IDisposable
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213", Justification = "The worker threads may still be taking from it after Dispose; completed, it holds nothing of the system's.")]
    private readonly BlockingCollection<Action> work = [];
    private readonly Thread[] threads;

    public ControlWorkers(int count)
    {
        threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            threads[i] = new Thread(Run, maxStackSize: 512 * 1024) { IsBackground = true, Name = "control-" + i };
            threads[i].Start();
        }
    }

    /// <summary>Queues work; it must not throw.</summary>
    public void Run(Action action) => work.Add(action);

    private void Run()
    {
        foreach (var action in work.GetConsumingEnumerable()) action();
    }

    /// <summary>Stops taking work; a request still running finishes on its own (the threads are background threads).</summary>
    public void Dispose() => work.CompleteAdding();
}
