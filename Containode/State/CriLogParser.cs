namespace Containode;

/// <summary>
/// A container log read back as bytes arrive: containet-wait writes one entry a line, in the CRI format
/// "TIME STREAM F|P TEXT" (P when the container's line goes on in the next entry). A line still being written waits
/// for its end; one longer than <see cref="MaxLine"/> is cut there; a line that is not an entry is skipped. What an
/// entry becomes is the subclass's: `containode logs` prints it, the job server sends it.
/// </summary>
public abstract class CriLogParser
{
    public const int MaxLine = 1 << 20;

    private byte[] carry = new byte[4096];
    private int carried;

    /// <summary>Takes the log's next bytes: every entry they complete goes to <see cref="Entry"/>, in order.</summary>
    public void Parse(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(data);
                break;
            }
            if (carried > 0)
            {
                Carry(data[..newline]);
                Line(carry.AsSpan(0, carried));
                carried = 0;
            }
            else Line(data[..newline]);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>One entry: when it was written, whether on stderr, whether the line goes on, and its text.</summary>
    protected abstract void Entry(ReadOnlySpan<byte> time, bool stderr, bool partial, ReadOnlySpan<byte> text);

    private void Carry(ReadOnlySpan<byte> data)
    {
        var room = MaxLine - carried;
        if (data.Length > room) data = data[..room];
        if (carried + data.Length > carry.Length) Array.Resize(ref carry, Math.Min(MaxLine, Math.Max(carry.Length * 2, carried + data.Length)));
        data.CopyTo(carry.AsSpan(carried));
        carried += data.Length;
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOf((byte)' ');
        if (first < 0) return;
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second < 0) return;
        var stderr = rest[..second].SequenceEqual("stderr"u8);
        rest = rest[(second + 1)..];
        if (rest.Length == 0) return;
        Entry(line[..first], stderr, rest[0] == (byte)'P', rest.Length > 1 ? rest[2..] : []);
    }
}
