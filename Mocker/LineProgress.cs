using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>
/// Plain progress lines on stderr, for logs and pipes: one per layer event, no redraws. Quiet (no writer), it
/// says nothing but warnings, which go to stderr.
/// </summary>
public sealed class LineProgress(TextWriter? output) : IPullProgress
{
    private IReadOnlyList<Descriptor> known = [];
    private readonly Lock gate = new();

    public void Start(IReadOnlyList<Descriptor> layers) => known = layers;

    public void Downloaded(int layer, long bytes) { }

    public void Stored(int layer, bool fetched) => Say($"{Short(known[layer].Digest)}: {(fetched ? $"downloaded {ByteSize.FormatColumn(known[layer].Size)}, verified" : "already stored")}");

    public void Applied(int layer) => Say($"{Short(known[layer].Digest)}: unpacked");

    public void Done(ImageRecord record) { }

    public void Warn(string message)
    {
        lock (gate) (output ?? Console.Error).WriteLine("mocker: warning: " + message);
    }

    private void Say(string line)
    {
        lock (gate) output?.WriteLine(line);
    }

    public static string Short(string digest) => digest.Length > 19 ? digest[7..19] : digest;
}
