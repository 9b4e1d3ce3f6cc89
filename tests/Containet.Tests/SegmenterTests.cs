using System.Buffers.Binary;
using Containet.Frames;
using Xunit;

namespace Containet.Tests;

public sealed class SegmenterTests
{
    /// <summary>A TCP super-frame as a TAP with TSO hands it over: pseudo-header sum in the checksum field.</summary>
    private static byte[] TcpSuperFrame(bool v6, int payload, byte flags)
    {
        var l3 = 14;
        var ipHeader = v6 ? 40 : 20;
        var l4 = l3 + ipHeader;
        var f = new byte[l4 + 20 + payload];
        f[12] = v6 ? (byte)0x86 : (byte)0x08;
        f[13] = v6 ? (byte)0xdd : (byte)0x00;
        var ip = f.AsSpan(l3);
        if (v6)
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(20 + payload));
            ip[6] = 6;
            ip[7] = 64;
            ip[8 + 15] = 1;
            ip[24 + 15] = 2;
        }
        else
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 20 + payload));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 1000);
            ip[8] = 64;
            ip[9] = 6;
            ip[12] = 10; ip[15] = 1;
            ip[16] = 10; ip[19] = 2;
        }
        var tcp = f.AsSpan(l4);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], 0xFFFF_FF00); // wraps during segmentation
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        for (var i = 0; i < payload; i++) f[l4 + 20 + i] = (byte)(i * 7);
        var pseudo = v6
            ? Checksum.PseudoHeader(ip.Slice(8, 16), ip.Slice(24, 16), 6, 20 + payload)
            : Checksum.PseudoHeader(ip.Slice(12, 4), ip.Slice(16, 4), 6, 20 + payload);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], (ushort)Checksum.Reduce(pseudo));
        return f;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cuts_a_tso_frame_into_valid_mss_segments(bool v6)
    {
        var frame = TcpSuperFrame(v6, 4000, flags: 0x18 /* PSH ACK */);
        var l4 = 14 + (v6 ? 40 : 20);
        var vnet = new VnetHeader(VnetHeader.NeedsCsum, v6 ? VnetHeader.GsoTcpV6 : VnetHeader.GsoTcpV4, (ushort)(l4 + 20), 1448, (ushort)l4, 16);
        var segments = new List<byte[]>();

        Assert.True(Segmenter.Emit(frame, vnet, s => segments.Add(s.ToArray())));

        Assert.Equal([1448, 1448, 1104], segments.Select(s => s.Length - l4 - 20));
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var ip = s.AsSpan(14);
            var tcp = s.AsSpan(l4);
            var tcpLength = s.Length - l4;
            if (v6)
            {
                Assert.Equal(tcpLength, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
                Assert.Equal(0xFFFF, (int)Checksum.Add(Checksum.PseudoHeader(ip.Slice(8, 16), ip.Slice(24, 16), 6, tcpLength), tcp));
            }
            else
            {
                Assert.Equal(s.Length - 14, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
                Assert.Equal(1000 + i, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
                Assert.Equal(0xFFFF, (int)Checksum.Add(0, ip[..20]));
                Assert.Equal(0xFFFF, (int)Checksum.Add(Checksum.PseudoHeader(ip.Slice(12, 4), ip.Slice(16, 4), 6, tcpLength), tcp));
            }
            Assert.Equal(unchecked(0xFFFF_FF00u + (uint)(i * 1448)), BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]));
            Assert.Equal(i == segments.Count - 1 ? 0x18 : 0x10, tcp[13]);
            Assert.Equal(frame.AsSpan(l4 + 20 + i * 1448, s.Length - l4 - 20).ToArray(), s.AsSpan(l4 + 20).ToArray());
        }
    }

    [Fact]
    public void Completes_a_partial_checksum()
    {
        var frame = TcpSuperFrame(false, 100, 0x10);
        var vnet = new VnetHeader(VnetHeader.NeedsCsum, VnetHeader.GsoNone, 0, 0, 34, 16);
        byte[]? result = null;

        Assert.True(Segmenter.Emit(frame, vnet, s => result = s.ToArray()));

        var ip = result.AsSpan(14);
        Assert.Equal(0xFFFF, (int)Checksum.Add(Checksum.PseudoHeader(ip.Slice(12, 4), ip.Slice(16, 4), 6, 120), result.AsSpan(34)));
    }

    [Fact]
    public void Refuses_gso_it_cannot_do()
    {
        var frame = TcpSuperFrame(false, 100, 0x10);
        Assert.False(Segmenter.Emit(frame, new VnetHeader(0, VnetHeader.GsoUdp, 0, 100, 34, 6), _ => { }));
    }
}
