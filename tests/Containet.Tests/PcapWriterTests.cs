using System.Buffers.Binary;
using Containet.Capture;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

public sealed class PcapWriterTests
{
    [Fact]
    public void Writes_a_classic_ethernet_pcap()
    {
        using var dir = new TempDir();
        var path = dir.Combine("x.pcap");
        using (var w = new PcapWriter(path))
        {
            w.Write(new byte[60]);
            w.Write(new byte[1514]);
        }
        var bytes = File.ReadAllBytes(path);

        Assert.Equal(PcapWriter.Magic, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(60, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24 + 8)));
        Assert.Equal(1514, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24 + 16 + 60 + 12)));
        Assert.Equal(24 + 16 + 60 + 16 + 1514, bytes.Length);
    }

    [Fact]
    public void Libpcap_reads_back_every_frame_with_its_time()
    {
        using var dir = new TempDir();
        var path = dir.Combine("x.pcap");
        byte[][] written = [[.. Enumerable.Range(0, 60).Select(i => (byte)i)], [.. Enumerable.Range(0, 1514).Select(i => (byte)(i * 3))], new byte[9000]];
        var before = DateTime.UtcNow.AddSeconds(-1);
        using (var w = new PcapWriter(path))
            foreach (var frame in written) w.Write(frame);

        var read = PcapFile.Read(path);

        Assert.Equal(written, read.Select(f => f.Data));
        Assert.All(read, f => Assert.Equal(PacketDotNet.LinkLayers.Ethernet, f.LinkType));
        Assert.All(read, f => Assert.InRange(f.Time, before, DateTime.UtcNow.AddSeconds(1)));
    }
}
