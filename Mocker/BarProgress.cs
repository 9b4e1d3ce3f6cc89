using System.Diagnostics;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>
/// Per-layer bars with bytes, total and speed, redrawn in place on a terminal as `docker pull` does.
/// Downloads report from several threads; a timer redraws ten times a second.
/// </summary>
public sealed class BarProgress(TextWriter output) : IPullProgress, IDisposable
{
    private IReadOnlyList<Descriptor> known = [];
    private long[] received = [];
    private string[] state = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private Timer? timer;
    private int drawn;

    public void Start(IReadOnlyList<Descriptor> layers)
    {
        known = layers;
        received = new long[layers.Count];
        state = Enumerable.Repeat("waiting", layers.Count).ToArray();
        timer = new Timer(_ => Draw(), null, 0, 100);
    }

    public void Downloaded(int layer, long bytes)
    {
        Interlocked.Add(ref received[layer], bytes);
        state[layer] = "downloading";
    }

    public void Stored(int layer, bool fetched) => state[layer] = fetched ? "verified" : "already stored";

    public void Applied(int layer) => state[layer] = "unpacked";

    public void Done(ImageRecord record)
    {
        timer?.Dispose();
        Draw();
    }

    private void Draw()
    {
        lock (gate)
        {
            if (drawn > 0) output.Write($"\e[{drawn}A");
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            for (var i = 0; i < known.Count; i++)
            {
                var total = Math.Max(known[i].Size, 1);
                var done = Interlocked.Read(ref received[i]);
                var filled = state[i] is "unpacked" or "verified" or "already stored" ? 30 : (int)(30 * Math.Min(1.0, done / (double)total));
                output.Write($"\e[2K{LineProgress.Short(known[i].Digest)} [{new string('=', filled)}{new string(' ', 30 - filled)}] " +
                    $"{Size.Format(done),9} / {Size.Format(known[i].Size),-9} {Size.Format((long)(done / seconds)),9}/s  {state[i]}\n");
            }
            drawn = known.Count;
            output.Flush();
        }
    }

    public void Dispose() => timer?.Dispose();
}
