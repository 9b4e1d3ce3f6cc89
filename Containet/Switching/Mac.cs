using System.Buffers.Binary;

namespace Containet.Switching;

/// <summary>MAC addresses packed into the low 48 bits of a ulong, so the table keys on a number, not an array.</summary>
public static class Mac
{
    public const ulong Broadcast = 0xFFFF_FFFF_FFFFUL;

    public static ulong Read(ReadOnlySpan<byte> six) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]);

    /// <summary>The group bit: broadcast and multicast destinations, never a valid source.</summary>
    public static bool IsGroup(ulong mac) => (mac & 0x0100_0000_0000UL) != 0;

    public static string Format(ulong mac) =>
        string.Create(17, mac, static (s, m) =>
        {
            for (var i = 0; i < 6; i++)
            {
                var b = (byte)(m >> (40 - 8 * i));
                s[i * 3] = "0123456789abcdef"[b >> 4];
                s[i * 3 + 1] = "0123456789abcdef"[b & 15];
                if (i < 5) s[i * 3 + 2] = ':';
            }
        });
}
