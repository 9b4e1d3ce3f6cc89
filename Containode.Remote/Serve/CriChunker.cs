using Containode.Remote.Api;
using Google.Protobuf;

namespace Containode.Remote.Serve;

/// <summary>
/// Turns a container log back into what the container wrote, as chunks tagged stdout or stderr, in order:
/// consecutive text of one stream is gathered into a chunk of at most <see cref="MaxChunk"/> bytes.
/// </summary>
public sealed class CriChunker : CriLogParser
{
    /// <remarks>A chunk and its gRPC and protobuf framing fit one HTTP/2 DATA frame of the default 16 KiB. With 64 KiB
    /// chunks each follower held four times as much while its client was slow: the server's peak RSS with 100 followers
    /// of a job writing 100 MB was 229 MiB, and 148 so, with the same 4 MiB gen0 (bench/remote.sh).</remarks>
    public const int MaxChunk = 16 * 1024 - 64;

    private readonly List<OutputChunk> ready = [];
    private readonly byte[] chunk = new byte[MaxChunk];
    private int chunked;
    private OutputChunk.Types.Stream chunkStream;

    /// <summary>Takes bytes of the log; returns the chunks completed so far (the list is reused: consume it before the next call).</summary>
    public List<OutputChunk> Feed(ReadOnlySpan<byte> data)
    {
        ready.Clear();
        Parse(data);
        Flush();
        return ready;
    }

    protected override void Entry(ReadOnlySpan<byte> time, bool stderr, bool partial, ReadOnlySpan<byte> text)
    {
        var stream = stderr ? OutputChunk.Types.Stream.Stderr : OutputChunk.Types.Stream.Stdout;
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
