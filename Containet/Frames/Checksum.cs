using System.Buffers.Binary;

namespace Containet.Frames;

/// <summary>The Internet checksum (RFC 1071), over spans.</summary>
public static class Checksum
{
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        return Reduce(sum);
    }

    /// <summary>Folds carries back in, keeping the running sum small enough to add more to.</summary>
    public static uint Reduce(uint sum)
    {
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }

    public static ushort Finish(uint sum) => (ushort)~Reduce(sum);

    /// <summary>Sum of the TCP/UDP pseudo-header for IPv4 or IPv6 addresses.</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length)
    {
        var sum = Add(Add(0, source), destination);
        return Reduce(sum + protocol + (uint)(length & 0xFFFF) + (uint)(length >> 16));
    }
}
