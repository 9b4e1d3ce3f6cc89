using System.Globalization;

namespace Mocker.Http;

/// <summary>
/// A response body framed by Content-Length, by chunked transfer coding, or by the end of the connection. A body
/// that ends before its announced length is an IOException, never a short success.
/// </summary>
internal sealed class ResponseBody : ReadOnlyStream
{
    private enum Framing { Length, Chunked, UntilClose }

    private readonly HttpConnection connection;
    private readonly Framing framing;
    private long remaining; // of the body (Length) or of the current chunk (Chunked)
    private bool failed;

    public bool Complete { get; private set; }

    internal ResponseBody(HttpConnection connection, long? length, bool chunked)
    {
        this.connection = connection;
        framing = chunked ? Framing.Chunked : length is null ? Framing.UntilClose : Framing.Length;
        remaining = length ?? 0;
        Complete = framing == Framing.Length && remaining == 0;
    }

    internal static ResponseBody Empty(HttpConnection connection) => new(connection, 0, chunked: false);

    public override int Read(Span<byte> into)
    {
        if (Complete || into.IsEmpty) return 0;
        try
        {
            if (framing == Framing.Chunked && remaining == 0 && !NextChunk()) return 0;
            var want = framing == Framing.UntilClose ? into.Length : (int)Math.Min(into.Length, remaining);
            var n = connection.Read(into[..want]);
            if (n == 0)
            {
                if (framing != Framing.UntilClose) throw new IOException($"the connection closed {remaining} bytes before the end of the body");
                Complete = true;
                return 0;
            }
            remaining -= n;
            if (framing == Framing.Length && remaining == 0) Complete = true;
            if (framing == Framing.Chunked && remaining == 0 && connection.ReadLine().Length != 0)
                throw new IOException("a malformed chunked body");
            return n;
        }
        catch
        {
            failed = true;
            throw;
        }
    }

    // Reads a chunk-size line; the zero chunk ends the body, after its trailer lines.
    private bool NextChunk()
    {
        var line = connection.ReadLine();
        var semicolon = line.IndexOf(';');
        if (!long.TryParse(semicolon < 0 ? line.Trim() : line[..semicolon].Trim(), NumberStyles.AllowHexSpecifier, null, out remaining) || remaining < 0)
            throw new IOException($"a malformed chunk size \"{line}\"");
        if (remaining > 0) return true;
        while (connection.ReadLine().Length > 0) { }
        Complete = true;
        return false;
    }

    /// <summary>Reads and drops what is left when that is at most <paramref name="limit"/> bytes; true if the body then ended cleanly.</summary>
    internal bool DrainUpTo(long limit)
    {
        if (failed || framing == Framing.UntilClose) return Complete && !failed;
        if (framing == Framing.Length && remaining > limit) return false;
        try
        {
            Span<byte> scratch = stackalloc byte[4096];
            for (long dropped = 0; !Complete && dropped <= limit; dropped += Read(scratch)) { }
            return Complete;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }
}
