using System.Buffers.Binary;

namespace Containet.Capture;

/// <summary>
/// Writes frames to a classic pcap file (LINKTYPE_ETHERNET, microsecond timestamps) that tcpdump -r reads.
/// Frames come from several receive loops, so writes take a lock; the file is flushed each second and on dispose.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    public const uint Magic = 0xA1B2C3D4;
    public const int LinkTypeEthernet = 1;
    public const int SnapLength = 262144;

    private readonly Stream stream;
    private readonly Lock gate = new();
    private readonly Timer flusher;
    private readonly byte[] recordHeader = new byte[16];

    public PcapWriter(string path)
    {
        stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], LinkTypeEthernet);
        stream.Write(header);
        stream.Flush();
        flusher = new Timer(_ => Flush(), null, 1000, 1000);
    }

    public void Write(ReadOnlySpan<byte> ethernet)
    {
        var now = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        var captured = Math.Min(ethernet.Length, SnapLength);
        lock (gate)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader, (uint)(now / TimeSpan.TicksPerSecond));
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(4), (uint)(now % TimeSpan.TicksPerSecond / 10));
            BinaryPrimitives.WriteInt32LittleEndian(recordHeader.AsSpan(8), captured);
            BinaryPrimitives.WriteInt32LittleEndian(recordHeader.AsSpan(12), ethernet.Length);
            stream.Write(recordHeader);
            stream.Write(ethernet[..captured]);
        }
    }

    public void Flush()
    {
        lock (gate)
        {
            if (stream.CanWrite) stream.Flush();
        }
    }

    public void Dispose()
    {
        flusher.Dispose();
        lock (gate)
            stream.Dispose();
    }
}
