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
}
