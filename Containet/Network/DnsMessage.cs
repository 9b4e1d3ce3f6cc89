using System.Buffers.Binary;
using System.Text;

namespace Containet.Network;

/// <summary>The one question of a DNS query (RFC 1035 4.1), with where the question ends in the message.</summary>
public readonly record struct DnsQuestion(ushort Id, bool RecursionDesired, string Name, ushort Type, ushort Class, int End);

/// <summary>
/// The little of the DNS wire format the switch's responder needs: read a standard query's question, and answer it
/// with an A record, no record, or an error code. Anything else is forwarded as it is, never re-encoded.
/// </summary>
public static class DnsMessage
{
    public const int HeaderSize = 12;
    public const ushort TypeA = 1;
    public const ushort ClassIn = 1;
    public const byte NoError = 0, FormatError = 1, ServerFailure = 2, NotImplemented = 4, Refused = 5;

    /// <summary>
    /// Reads the question of a standard query (QR clear, opcode 0, one question, a name without compression of at
    /// most 255 bytes); false for anything else.
    /// </summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> m, out DnsQuestion question)
    {
        question = default;
        if (m.Length < HeaderSize) return false;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(m[2..]);
        if ((flags & 0x8000) != 0 || ((flags >> 11) & 0xF) != 0 || BinaryPrimitives.ReadUInt16BigEndian(m[4..]) != 1) return false;
        var name = new StringBuilder();
        var at = HeaderSize;
        while (true)
        {
            if (at >= m.Length) return false;
            int length = m[at++];
            if (length == 0) break;
            if (length > 63 || at + length > m.Length || name.Length + length + 1 > 255) return false;
            if (name.Length > 0) name.Append('.');
            foreach (var b in m.Slice(at, length)) name.Append((char)b);
            at += length;
        }
        if (at + 4 > m.Length) return false;
        question = new DnsQuestion(BinaryPrimitives.ReadUInt16BigEndian(m), (flags & 0x0100) != 0, name.ToString(),
            BinaryPrimitives.ReadUInt16BigEndian(m[at..]), BinaryPrimitives.ReadUInt16BigEndian(m[(at + 2)..]), at + 4);
        return true;
    }

    /// <summary>
    /// Writes the answer to <paramref name="query"/>: its header and question, then an A record for
    /// <paramref name="address"/> if given, with <paramref name="code"/> as the response code; authoritative,
    /// recursion available, no additional records. Returns its length.
    /// </summary>
    public static int WriteAnswer(ReadOnlySpan<byte> query, in DnsQuestion q, uint? address, byte code, Span<byte> output, uint ttl = 10)
    {
        query[..q.End].CopyTo(output);
        var flags = (ushort)(0x8000 | 0x0400 | 0x0080 | (q.RecursionDesired ? 0x0100 : 0) | code);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(output[6..], (ushort)(address is null ? 0 : 1));
        BinaryPrimitives.WriteUInt16BigEndian(output[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], 0);
        var at = q.End;
        if (address is { } a)
        {
            BinaryPrimitives.WriteUInt16BigEndian(output[at..], 0xC000 | HeaderSize); // the name: a pointer to the question's
            BinaryPrimitives.WriteUInt16BigEndian(output[(at + 2)..], TypeA);
            BinaryPrimitives.WriteUInt16BigEndian(output[(at + 4)..], ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(output[(at + 6)..], ttl);
            BinaryPrimitives.WriteUInt16BigEndian(output[(at + 10)..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(output[(at + 12)..], a);
            at += 16;
        }
        return at;
    }

    /// <summary>The message's ID, which a forwarder swaps for one of its own and back.</summary>
    public static ushort Id(ReadOnlySpan<byte> m) => BinaryPrimitives.ReadUInt16BigEndian(m);

    public static void SetId(Span<byte> m, ushort id) => BinaryPrimitives.WriteUInt16BigEndian(m, id);

    /// <summary>Whether <paramref name="m"/> is a reply (QR set) at least a header long.</summary>
    public static bool IsResponse(ReadOnlySpan<byte> m) => m.Length >= HeaderSize && (m[2] & 0x80) != 0;
}
