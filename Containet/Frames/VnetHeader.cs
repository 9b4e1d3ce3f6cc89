using System.Buffers.Binary;

namespace Containet.Frames;

/// <summary>struct virtio_net_hdr: checksum and segmentation work the receiver still owes the frame.</summary>
public readonly record struct VnetHeader(byte Flags, byte GsoType, ushort HeaderLength, ushort GsoSize, ushort CsumStart, ushort CsumOffset)
{
    public const byte NeedsCsum = 1, DataValid = 2;
    public const byte GsoNone = 0, GsoTcpV4 = 1, GsoUdp = 3, GsoTcpV6 = 4, GsoEcn = 0x80;
    public const int BaseSize = 10;

    public bool IsGso => (GsoType & ~GsoEcn) != GsoNone;
    public bool NeedsChecksum => (Flags & NeedsCsum) != 0;

    public static VnetHeader Read(ReadOnlySpan<byte> h) => new(h[0], h[1],
        BinaryPrimitives.ReadUInt16LittleEndian(h[2..]), BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(h[6..]), BinaryPrimitives.ReadUInt16LittleEndian(h[8..]));

    public void Write(Span<byte> h)
    {
        h[0] = Flags;
        h[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], CsumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], CsumOffset);
        h[BaseSize..].Clear();
    }
}
