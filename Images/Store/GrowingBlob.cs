using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Mocker.Http;

namespace Mocker.Store;

/// <summary>
/// A blob that is still downloading, readable as it grows, so that unpacking follows the download instead of
/// waiting for it. What is read is not yet verified: the reader ends in the download's own error when the
/// blob turns out wrong, and whoever unpacks must still wait for <see cref="Verified"/> before trusting it.
/// </summary>
public sealed class GrowingBlob(BlobStore store, string digest) : IDisposable
{
    private readonly object gate = new();
    private SafeFileHandle? handle;
    private long length;
    private bool complete;
    private ExceptionDispatchInfo? failure;

    /// <summary>The download made its temp file: it is opened now, before the rename that would move it away.</summary>
    public void Created(string temp)
    {
        var h = File.OpenHandle(temp, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        lock (gate)
        {
            handle = h;
            Monitor.PulseAll(gate);
        }
    }

    public void Grew(long bytes)
    {
        lock (gate)
        {
            length += bytes;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>The blob is stored and verified, by this download or an earlier one.</summary>
    public void Verified() => End(null);

    public void Failed(Exception e) => End(ExceptionDispatchInfo.Capture(e));

    private void End(ExceptionDispatchInfo? error)
    {
        lock (gate)
        {
            complete = true;
            failure = error;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>A stream of the blob from its start, which waits for bytes not downloaded yet.</summary>
    public Stream Open(CancellationToken ct)
    {
        lock (gate)
        {
            AwaitBytesAt(0, ct);
            // Already stored before this pull asked: there was no download to follow.
            if (handle is null) return store.OpenRead(digest);
        }
        return new Reader(this, ct);
    }

    private int ReadAt(long position, Span<byte> into, CancellationToken ct)
    {
        long available;
        lock (gate)
        {
            AwaitBytesAt(position, ct);
            available = length - position;
        }
        if (available <= 0 || into.IsEmpty) return 0;
        var n = RandomAccess.Read(handle!, into[..(int)Math.Min(into.Length, available)], position);
        return n > 0 ? n : throw new IOException($"blob {digest} is shorter on disk than its download said");
    }

    // Under the gate: waits until byte `position` is on disk or the download ended, in bounded waits so that
    // cancelling is noticed without a registration per read; a failed download's error is thrown here.
    private void AwaitBytesAt(long position, CancellationToken ct)
    {
        while ((handle is null || position >= length) && !complete)
        {
            ct.ThrowIfCancellationRequested();
            Monitor.Wait(gate, 100);
        }
        failure?.Throw();
    }

    public void Dispose() => handle?.Dispose();

    private sealed class Reader(GrowingBlob blob, CancellationToken ct) : ReadOnlyStream
    {
        private long position;

        public override int Read(Span<byte> buffer)
        {
            var n = blob.ReadAt(position, buffer, ct);
            position += n;
            return n;
        }

        // Seeking back is how a layer of unknown type is sniffed for the gzip magic.
        public override bool CanSeek => true;
        public override long Position { get => position; set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? position + offset : throw new NotSupportedException();
    }
}
