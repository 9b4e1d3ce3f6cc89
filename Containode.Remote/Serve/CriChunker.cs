using Containode.Remote.Api;
using Google.Protobuf;

namespace Containode.Remote.Serve;

/// <summary>
/// Turns a container log (the CRI format containet-wait writes: "TIME STREAM F|P TEXT" a line, P when the line
/// goes on in the next entry) back into what the container wrote, as chunks tagged stdout or stderr, in order:
/// consecutive text of one stream is gathered into a chunk of at most <see cref="MaxChunk"/> bytes. A log line
/// still being written waits for its end; one longer than <see cref="MaxLine"/> is cut there.
/// </summary>
public sealed class CriChunker
{
    /// <remarks>A chunk and its gRPC and protobuf framing fit one HTTP/2 DATA frame of the default 16 KiB. With 64 KiB
    /// chunks each follower held four times as much while its client was slow: the server's peak RSS with 100 followers
    /// of a job writing 100 MB was 229 MiB, and 148 so, with the same 4 MiB gen0 (bench/remote.sh).</remarks>
    public const int MaxChunk = 16 * 1024 - 64, MaxLine = 1 << 20;

    private readonly List<OutputChunk> ready = [];
    private byte[] carry = new byte[4096];
    private int carried;
    private readonly byte[] chunk = new byte[MaxChunk];
    private int chunked;
    private OutputChunk.Types.Stream chunkStream;

    /// <summary>Takes bytes of the log; returns the chunks completed so far (the list is reused: consume it before the next call).</summary>
    public List<OutputChunk> Feed(ReadOnlySpan<byte> data)
    {
        ready.Clear();
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
                Entry(carry.AsSpan(0, carried));
                carried = 0;
            }
            else Entry(data[..newline]);
            data = data[(newline + 1)..];
        }
        Flush();
        return ready;
    }

    private void Carry(ReadOnlySpan<byte> data)
    {
        var room = MaxLine - carried;
        if (data.Length > room) data = data[..room];
        if (carried + data.Length > carry.Length) Array.Resize(ref carry, Math.Min(MaxLine, Math.Max(carry.Length * 2, carried + data.Length)));
        data.CopyTo(carry.AsSpan(carried));
        carried += data.Length;
    }

    private void Entry(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOf((byte)' ');
        if (first < 0) return;
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second < 0) return;
        var stream = rest[..second].SequenceEqual("stderr"u8) ? OutputChunk.Types.Stream.Stderr : OutputChunk.Types.Stream.Stdout;
        rest = rest[(second + 1)..];
        if (rest.Length == 0) return;
        var partial = rest[0] == (byte)'P';
        var text = rest.Length > 1 ? rest[2..] : [];
        if (stream != chunkStream) Flush();
        chunkStream = stream;
        Append(text);
        if (!partial) Append("\n"u8);
    }

    private void Append(ReadOnlySpan<byte> text)
    {
        while (text.Length > 0)
        {
            var n = Math.Min(text.Length, MaxChunk - chunked);
            text[..n].CopyTo(chunk.AsSpan(chunked));
            chunked += n;
            text = text[n..];
            if (chunked == MaxChunk) Flush();
        }
    }

    private void Flush()
    {
        if (chunked == 0) return;
        ready.Add(new OutputChunk { Stream = chunkStream, Data = ByteString.CopyFrom(chunk, 0, chunked) });
        chunked = 0;
    }
}
