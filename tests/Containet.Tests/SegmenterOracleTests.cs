using System.Net;
using System.Net.NetworkInformation;
using Containet.Frames;
using PacketDotNet;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// The software segmenter checked by an independent parser: PacketDotNet builds the super-frames a TAP with TSO
/// hands over and parses every segment the switch emits (lengths, IP ID, sequence numbers, flags, both checksums),
/// for IPv4 and IPv6, with and without an 802.1Q tag.
/// </summary>
public sealed class SegmenterOracleTests
{
    private const int Mss = 1448;
    private const int VlanTag = 4;

    public static TheoryData<bool, bool, int, bool> Cases()
    {
        var cases = new TheoryData<bool, bool, int, bool>();
        foreach (var v6 in new[] { false, true })
            foreach (var vlan in new[] { false, true })
                foreach (var payload in new[] { 1, Mss, Mss + 1, 3 * Mss, 10_000, 60_000 })
                    cases.Add(v6, vlan, payload, payload % 2 == 0);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_segment_parses_with_valid_headers_and_checksums(bool v6, bool vlan, int payloadLength, bool finPsh)
    {
        var payload = new byte[payloadLength];
        new Random(payloadLength).NextBytes(payload);
        var tcp = new TcpPacket(40000, 5201)
        {
            SequenceNumber = 0xFFFF_F000, // wraps while cut
            AcknowledgmentNumber = 12345,
            WindowSize = 512,
            Acknowledgment = true,
            Push = finPsh,
            Finished = finPsh,
            CongestionWindowReduced = true,
            PayloadData = payload,
        };
        IPPacket ip = v6
            ? new IPv6Packet(IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::2")) { HopLimit = 64 }
            : new IPv4Packet(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.1.0.2")) { TimeToLive = 64, Id = 0xFFFE };
        ip.PayloadPacket = tcp;
        var ethernet = new EthernetPacket(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"),
            v6 ? EthernetType.IPv6 : EthernetType.IPv4) { PayloadPacket = ip };
        ethernet.UpdateCalculatedValues();
        var frame = vlan ? Tagged(ethernet.Bytes, vid: 77) : ethernet.Bytes;
        var l4 = 14 + (vlan ? VlanTag : 0) + (v6 ? 40 : 20);
        var vnet = new VnetHeader(VnetHeader.NeedsCsum, v6 ? VnetHeader.GsoTcpV6 : VnetHeader.GsoTcpV4, (ushort)(l4 + 20), Mss, (ushort)l4, 16);

        var segments = new List<byte[]>();
        Assert.True(Segmenter.Emit(frame, vnet, s => segments.Add(s.ToArray())));

        Assert.Equal((payloadLength + Mss - 1) / Mss, segments.Count);
        var received = new List<byte>();
        for (var i = 0; i < segments.Count; i++)
        {
            var parsed = Packet.ParsePacket(LinkLayers.Ethernet, segments[i]);
            if (vlan) Assert.Equal(77, parsed.Extract<Ieee8021QPacket>().VlanIdentifier);
            var segment = parsed.Extract<TcpPacket>();
            Assert.NotNull(segment);
            var first = i == 0;
            var last = i == segments.Count - 1;
            if (v6)
            {
                var ip6 = parsed.Extract<IPv6Packet>();
                Assert.Equal(20 + segment.PayloadData.Length, ip6.PayloadLength);
            }
            else
            {
                var ip4 = parsed.Extract<IPv4Packet>();
                Assert.True(ip4.ValidChecksum, $"segment {i}: bad IPv4 header checksum");
                Assert.Equal(segments[i].Length - 14 - (vlan ? VlanTag : 0), ip4.TotalLength);
                Assert.Equal(unchecked((ushort)(0xFFFE + i)), ip4.Id);
            }
            Assert.True(segment.ValidChecksum, $"segment {i}: bad TCP checksum");
            Assert.Equal(unchecked(0xFFFF_F000u + (uint)(i * Mss)), segment.SequenceNumber);
            Assert.Equal(12345u, segment.AcknowledgmentNumber);
            Assert.True(segment.Acknowledgment);
            Assert.Equal(finPsh && last, segment.Push);
            Assert.Equal(finPsh && last, segment.Finished);
            Assert.Equal(first, segment.CongestionWindowReduced);
            Assert.Equal(last ? payloadLength - i * Mss : Mss, segment.PayloadData.Length);
            received.AddRange(segment.PayloadData);
        }
        Assert.Equal(payload, received);
    }

    /// <summary>The frame with an 802.1Q tag after the MAC addresses.</summary>
    private static byte[] Tagged(byte[] untagged, ushort vid)
    {
        var tagged = new byte[untagged.Length + VlanTag];
        untagged.AsSpan(0, 12).CopyTo(tagged);
        tagged[12] = 0x81;
        tagged[13] = 0x00;
        tagged[14] = (byte)(vid >> 8);
        tagged[15] = (byte)vid;
        untagged.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }
}
