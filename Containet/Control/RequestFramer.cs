using System.Text.Json;
using Containet.Native;
using Containet.Protocol;

namespace Containet.Control;

/// <summary>
/// Reassembles control requests from a connection's byte stream: bytes are appended as they arrive and complete
/// JSON objects are taken out one by one, whatever the writes were (a request in pieces, several in one write).
/// A request may be at most <see cref="Limit"/> bytes. An fd goes with the request that holds the last byte read
/// with it (the kernel ends a read at the message that carried an fd) or, if that byte lay between requests,
/// with the next one. Each rejected message gives one <see cref="Item.Rejection"/>.
/// </summary>
public sealed class RequestFramer : IDisposable
{
    public const int Limit = Limits.MaxRequest;

    private readonly byte[] buffer = new byte[Limit];
    private readonly List<(int At, SafeFd Fd)> fds = [];
    private int length;
    private int scanned;
    private JsonReaderState state;
    private Skipper? skipping;

    /// <summary>A request and the fd that came with it, or why the bytes were refused.</summary>
    public readonly record struct Item(ReadOnlyMemory<byte> Json, SafeFd? Fd, string? Rejection);

    /// <summary>Where the next bytes go; call <see cref="Received"/> with how many were written there.</summary>
    public Span<byte> Free => buffer.AsSpan(length);

    public void Received(int count, SafeFd? fd)
    {
        length += count;
        if (fd is not null) fds.Add((length - 1, fd));
    }

    /// <summary>Takes the next request or rejection out; false when more bytes are needed.</summary>
    public bool TryNext(out Item item)
    {
        item = default;
        while (skipping is { } skipper)
        {
            var end = skipper.Scan(buffer.AsSpan(0, length));
            if (end < 0)
            {
                Discard(length);
                return false;
            }
            skipping = null;
            Discard(end);
        }
        if (length == 0) return false;
        var reader = new Utf8JsonReader(buffer.AsSpan(scanned, length - scanned), isFinalBlock: false, state);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth > 0) continue;
                if (reader.TokenType == JsonTokenType.StartObject) continue;
                if (reader.TokenType != JsonTokenType.EndObject)
                    return Reject(out item, "a request must be a JSON object", length);
                var end = scanned + (int)reader.BytesConsumed;
                item = new Item(buffer.AsSpan(0, end).TrimStart(" \t\r\n"u8).ToArray(), TakeFd(end), null);
                Discard(end);
                return true;
            }
        }
        catch (JsonException e)
        {
            return Reject(out item, "malformed JSON: " + e.Message, length);
        }
        scanned += (int)reader.BytesConsumed;
        state = reader.CurrentState;
        if (length < Limit) return false;
        // Full and still not whole: refuse it once, then drop its bytes up to where the object ends.
        var skip = new Skipper();
        var whole = skip.Scan(buffer.AsSpan(0, length));
        if (whole < 0) skipping = skip;
        return Reject(out item, $"request larger than {Limit} bytes", whole < 0 ? length : whole);
    }

    private bool Reject(out Item item, string why, int upTo)
    {
        item = new Item(default, null, why);
        Discard(upTo);
        return true;
    }

    /// <summary>The fd of the request that ends at <paramref name="end"/>; a second one for it is closed.</summary>
    private SafeFd? TakeFd(int end)
    {
        SafeFd? taken = null;
        foreach (var (at, fd) in fds)
        {
            if (at >= end) continue;
            if (taken is null) taken = fd;
            else fd.Dispose();
        }
        fds.RemoveAll(f => f.At < end);
        return taken;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes and closes the fds that came with them.</summary>
    private void Discard(int count)
    {
        foreach (var (at, fd) in fds)
            if (at < count) fd.Dispose();
        fds.RemoveAll(f => f.At < count);
        for (var i = 0; i < fds.Count; i++) fds[i] = (fds[i].At - count, fds[i].Fd);
        buffer.AsSpan(count, length - count).CopyTo(buffer);
        length -= count;
        scanned = 0;
        state = default;
    }

    public void Dispose() => Discard(length);

    /// <summary>
    /// Follows the brackets and strings of a refused message to find where it ends, without keeping its bytes:
    /// enough to resynchronise after an oversized request, which is not parsed anyway.
    /// </summary>
    private sealed class Skipper
    {
        private int depth;
        private bool inString;
        private bool escaped;

        /// <summary>Scans more of the message; returns the offset just past its end, or -1 if it goes on.</summary>
        public int Scan(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == '\\') escaped = true;
                    else if (b == '"') inString = false;
                }
                else if (b == '"') inString = true;
                else if (b is (byte)'{' or (byte)'[') depth++;
                else if (b is (byte)'}' or (byte)']' && depth > 0 && --depth == 0) return i + 1;
            }
            return -1;
        }
    }
}
