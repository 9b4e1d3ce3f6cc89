using System.Buffers;
using System.Buffers.Binary;
using Containet.Frames;
using Containet.Native;

namespace Containet.Ports;

public sealed partial class Port
{
    private const int RecordHeader = 4;
    private readonly System.IO.Pipelines.Pipe output;
    private readonly Lock sendLock = new();
    private readonly int queueLimit;
    private long queued;
    private bool blocked;

    /// <summary>Asks the receive loop to report (or stop reporting) when the TAP can take writes again.</summary>
    public Action<Port, bool>? WriteInterest { get; set; }

    /// <summary>
    /// Sends one frame in this port's framing. With nothing queued it goes straight from the caller's buffer to
    /// the TAP; when the TAP pushes back (EAGAIN) it waits in the port's pipe, whose size is bounded: a full
    /// queue drops the frame and counts it, so a stuck port never stalls the thread that received the frame.
    /// </summary>
    public void Enqueue(ReadOnlySpan<byte> ethernet, in VnetHeader vnet)
    {
        Span<byte> header = stackalloc byte[Framing.PacketInfoSize + 16];
        header = header[..Framing.HeaderSize];
        WriteHeader(header, ethernet, vnet);
        lock (sendLock)
        {
            if (closeReason is not null) return;
            if (queued == 0)
            {
                var n = FdIo.Write(Tap.Handle, header, ethernet);
                if (n != -Errno.EAGAIN)
                {
                    Count(n, ethernet.Length);
                    Switching.ReceiveLoop.Wrote(this);
                    return;
                }
            }
            var record = RecordHeader + header.Length + ethernet.Length;
            if (queued + record > queueLimit)
            {
                Stats.Drops++;
                return;
            }
            var writer = output.Writer;
            var span = writer.GetSpan(record);
            BinaryPrimitives.WriteInt32LittleEndian(span, record - RecordHeader);
            header.CopyTo(span[RecordHeader..]);
            ethernet.CopyTo(span[(RecordHeader + header.Length)..]);
            writer.Advance(record);
            queued += record;
            var flush = writer.FlushAsync();
            if (flush.IsCompleted) flush.GetAwaiter().GetResult();
            else flush.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Points the port's write interest at a receive loop and registers the TAP there, watching writability too while
    /// a backlog waits for it. Under the send lock, where the send loop changes its interest, so none is lost in the move.
    /// </summary>
    internal void Register(Action<Port, bool> interest, Action<bool> register)
    {
        lock (sendLock)
        {
            WriteInterest = interest;
            register(blocked);
        }
    }

    /// <summary>The receive loop saw the TAP writable again: let the send loop retry the backlog.</summary>
    public void OnWritable()
    {
        lock (sendLock)
            output.Reader.CancelPendingRead();
    }

    public long QueuedBytes => Volatile.Read(ref queued);

    private void WriteHeader(Span<byte> header, ReadOnlySpan<byte> ethernet, in VnetHeader vnet)
    {
        if (Framing.PacketInfo)
        {
            header[0] = 0;
            header[1] = 0;
            ethernet.Slice(12, 2).CopyTo(header[2..]);
        }
        if (Framing.HasVnet)
            vnet.Write(header[(Framing.PacketInfo ? Framing.PacketInfoSize : 0)..]);
    }

    private void Count(int written, int ethernetLength)
    {
        if (written >= 0)
        {
            Stats.FramesOut++;
            Stats.BytesOut += ethernetLength;
        }
        else if (-written == Errno.ENOBUFS) Stats.Drops++;
        else Stats.Errors++;
    }

    /// <summary>
    /// Drains the backlog into the TAP. It runs inline on whichever thread flushed or signalled writability,
    /// always under the send lock. A record the TAP refuses with EAGAIN stays in the pipe for the next try.
    /// </summary>
    private async Task SendLoopAsync()
    {
        var reader = output.Reader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            long consumed = 0;
            var stalled = false;
            foreach (var segment in buffer)
            {
                var (bytes, full) = WriteRecords(segment.Span);
                consumed += bytes;
                if (stalled = full) break;
            }
            queued -= consumed;
            reader.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            if (stalled != blocked)
            {
                blocked = stalled;
                WriteInterest?.Invoke(this, stalled);
            }
            if (result.IsCompleted) break;
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    // Each record was written with one GetSpan, so records never straddle segments.
    private (int Consumed, bool Blocked) WriteRecords(ReadOnlySpan<byte> span)
    {
        var consumed = 0;
        while (span.Length - consumed >= RecordHeader)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[consumed..]);
            var n = FdIo.Write(Tap.Handle, span.Slice(consumed + RecordHeader, length));
            if (n == -Errno.EAGAIN) return (consumed, true);
            Count(n, length - Framing.HeaderSize);
            consumed += RecordHeader + length;
        }
        return (consumed, false);
    }
}
