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
    private readonly Task sendLoop;
    private long queued;

    /// <summary>
    /// Queues one frame in this port's framing. A full queue drops the frame and counts it: a slow port never
    /// stalls the thread that received the frame, nor the other ports.
    /// </summary>
    public void Enqueue(ReadOnlySpan<byte> ethernet, in VnetHeader vnet)
    {
        var record = RecordHeader + Framing.HeaderSize + ethernet.Length;
        lock (sendLock)
        {
            if (closeReason is not null) return;
            if (queued + record > queueLimit)
            {
                Stats.Drops++;
                return;
            }
            var writer = output.Writer;
            var span = writer.GetSpan(record);
            BinaryPrimitives.WriteInt32LittleEndian(span, record - RecordHeader);
            var at = RecordHeader;
            if (Framing.PacketInfo)
            {
                span[at] = 0;
                span[at + 1] = 0;
                ethernet.Slice(12, 2).CopyTo(span[(at + 2)..]);
                at += Framing.PacketInfoSize;
            }
            if (Framing.HasVnet)
            {
                vnet.Write(span.Slice(at, Framing.VnetHeaderSize));
                at += Framing.VnetHeaderSize;
            }
            ethernet.CopyTo(span[at..]);
            writer.Advance(record);
            queued += record;
            var flush = writer.FlushAsync();
            if (flush.IsCompleted) flush.GetAwaiter().GetResult();
            else flush.AsTask().GetAwaiter().GetResult();
        }
    }

    public long QueuedBytes => Volatile.Read(ref queued);

    /// <summary>Drains the pipe into the TAP; runs inline on whichever thread flushed, under the send lock.</summary>
    private async Task SendLoopAsync()
    {
        var reader = output.Reader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            foreach (var segment in buffer)
                WriteRecords(segment.Span);
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) break;
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    // Each record was written with one GetSpan, so records never straddle segments.
    private void WriteRecords(ReadOnlySpan<byte> span)
    {
        while (span.Length >= RecordHeader)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span);
            var frame = span.Slice(RecordHeader, length);
            var n = FdIo.Write(Tap.Handle, frame);
            if (n < 0)
            {
                if (-n == Errno.EAGAIN || -n == Errno.ENOBUFS) Stats.Drops++;
                else Stats.Errors++;
            }
            else
            {
                Stats.FramesOut++;
                Stats.BytesOut += length - Framing.HeaderSize;
            }
            queued -= RecordHeader + length;
            span = span[(RecordHeader + length)..];
        }
    }
}
