using System.Buffers.Binary;

namespace Containet.Frames;

/// <summary>
/// Does in software what a port with offloads left to the receiver, for a port that cannot take offloaded
/// frames: completes a partial checksum, and cuts a TCP super-frame (TSO) into MSS-sized segments.
/// </summary>
public static class Segmenter
{
    public delegate void SegmentSink(ReadOnlySpan<byte> ethernet);

    [ThreadStatic] private static byte[]? scratch;

    private const int Ipv6Header = 40, MinTcpHeader = 20;
    private const byte TcpProtocol = 6;
    private const byte TcpFin = 0x01, TcpPsh = 0x08, TcpCwr = 0x80;

    /// <summary>Emits the frame as one or more frames that need nothing further; false if it cannot be done.</summary>
    public static bool Emit(ReadOnlySpan<byte> ethernet, in VnetHeader vnet, SegmentSink sink)
    {
        var buffer = scratch ??= new byte[Frame.MaxEthernet + 64];
        if (vnet.IsGso)
            return (vnet.GsoType & ~VnetHeader.GsoEcn) is VnetHeader.GsoTcpV4 or VnetHeader.GsoTcpV6
                && SegmentTcp(ethernet, vnet, buffer, sink);
        ethernet.CopyTo(buffer);
        var frame = buffer.AsSpan(0, ethernet.Length);
        if (vnet.NeedsChecksum && !CompleteChecksum(frame, vnet.CsumStart, vnet.CsumOffset)) return false;
        sink(frame);
        return true;
    }

    /// <summary>The kernel left the pseudo-header sum in the checksum field: sum from csum_start and store the result.</summary>
    public static bool CompleteChecksum(Span<byte> frame, int start, int offset)
    {
        if (start + offset + 2 > frame.Length) return false;
        var sum = Checksum.Finish(Checksum.Add(0, frame[start..]));
        BinaryPrimitives.WriteUInt16BigEndian(frame[(start + offset)..], sum);
        return true;
    }

    private static bool SegmentTcp(ReadOnlySpan<byte> frame, in VnetHeader vnet, byte[] buffer, SegmentSink sink)
    {
        var tagged = frame.Length > Frame.EthernetHeader && BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == Frame.EtherTypeVlan;
        var l3 = Frame.EthernetHeader + (tagged ? Frame.VlanTag : 0);
        var l4 = (int)vnet.CsumStart;
        if (l4 <= l3 || l4 + MinTcpHeader > frame.Length || vnet.GsoSize == 0) return false;
        var v4 = (frame[l3] >> 4) == 4;
        var tcpHeader = (frame[l4 + 12] >> 4) * 4;
        var headers = l4 + tcpHeader;
        if (tcpHeader < MinTcpHeader || headers > frame.Length) return false;
        var payload = frame[headers..];
        var seq = BinaryPrimitives.ReadUInt32BigEndian(frame[(l4 + 4)..]);
        var ipId = v4 ? BinaryPrimitives.ReadUInt16BigEndian(frame[(l3 + 4)..]) : (ushort)0;
        var flags = frame[l4 + 13];
        for (int offset = 0, i = 0; offset < payload.Length || (offset == 0 && payload.Length == 0); offset += vnet.GsoSize, i++)
        {
            var chunk = Math.Min(vnet.GsoSize, payload.Length - offset);
            var last = offset + chunk >= payload.Length;
            var segment = buffer.AsSpan(0, headers + chunk);
            frame[..headers].CopyTo(segment);
            payload.Slice(offset, chunk).CopyTo(segment[headers..]);
            var ip = segment[l3..];
            var tcpLength = tcpHeader + chunk;
            if (v4)
            {
                BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(l4 - l3 + tcpLength));
                BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ipId + i));
                var ihl = (ip[0] & 15) * 4;
                ip[10] = ip[11] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Finish(Checksum.Add(0, ip[..ihl])));
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(l4 - l3 - Ipv6Header + tcpLength));
            }
            var tcp = segment[l4..];
            BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq + (uint)offset);
            // FIN and PSH belong to the last segment only, CWR to the first.
            tcp[13] = (byte)(flags & ~((last ? 0 : TcpFin | TcpPsh) | (i == 0 ? 0 : TcpCwr)));
            tcp[16] = tcp[17] = 0;
            var pseudo = v4
                ? Checksum.PseudoHeader(ip.Slice(12, 4), ip.Slice(16, 4), TcpProtocol, tcpLength)
                : Checksum.PseudoHeader(ip.Slice(8, 16), ip.Slice(24, 16), TcpProtocol, tcpLength);
            BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum.Finish(Checksum.Add(pseudo, tcp[..tcpLength])));
            sink(segment);
            if (last) break;
        }
        return true;
    }
}
