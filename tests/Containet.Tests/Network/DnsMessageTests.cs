using System.Buffers.Binary;
using Containet.Network;
using Xunit;

namespace Containet.Tests.Network;

public sealed class DnsMessageTests
{
    /// <summary>A query as resolvers send it: ID 0x1234, RD, one question, and an EDNS OPT record after it.</summary>
    private static byte[] Query(string name, ushort type = DnsMessage.TypeA)
    {
        var m = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 };
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            m.Add((byte)label.Length);
            m.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        m.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        m.AddRange([0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0]);
        return [.. m];
    }

    [Fact]
    public void A_query_is_read_and_answered_with_an_a_record()
    {
        var query = Query("web");
        Assert.True(DnsMessage.TryReadQuery(query, out var q));
        Assert.Equal(("web", DnsMessage.TypeA, (ushort)0x1234), (q.Name, q.Type, q.Id));
        var answer = new byte[512];
        var n = DnsMessage.WriteAnswer(query, q, 0x0A580002, DnsMessage.NoError, answer);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(answer));
        Assert.Equal(0x8580, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(2)) & 0xFFF0); // QR AA RD RA
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10))); // the OPT record is not echoed
        Assert.Equal([10, 88, 0, 2], answer.AsSpan(n - 4, 4).ToArray());
    }

    [Fact]
    public void An_error_or_no_record_answers_with_the_question_alone()
    {
        var query = Query("web", type: 28);
        Assert.True(DnsMessage.TryReadQuery(query, out var q));
        var answer = new byte[512];
        var n = DnsMessage.WriteAnswer(query, q, null, DnsMessage.Refused, answer);
        Assert.Equal(q.End, n);
        Assert.Equal(DnsMessage.Refused, answer[3] & 0xF);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)));
    }

    [Fact]
    public void Hostile_messages_are_not_queries()
    {
        Assert.False(DnsMessage.TryReadQuery([], out _));
        Assert.False(DnsMessage.TryReadQuery(Query("web").AsSpan(0, 11), out _));
        var reply = Query("web");
        reply[2] |= 0x80;
        Assert.False(DnsMessage.TryReadQuery(reply, out _));
        var pointer = Query("web");
        pointer[12] = 0xC0; // compression in a question
        Assert.False(DnsMessage.TryReadQuery(pointer, out _));
        var truncated = Query("web");
        Assert.False(DnsMessage.TryReadQuery(truncated.AsSpan(0, 17), out _));
        var two = Query("web");
        two[5] = 2;
        Assert.False(DnsMessage.TryReadQuery(two, out _));
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 5));
        Assert.False(DnsMessage.TryReadQuery(Query(longName), out _));
    }

    [Fact]
    public void Resolv_conf_nameservers_are_read_in_order()
    {
        var servers = Resolvers.Parse("# comment\nsearch example.com\nnameserver 198.51.100.1\nnameserver\tfe80::1%eth0\nnameserver bogus\noptions ndots:2\n");
        Assert.Equal(["198.51.100.1", "fe80::1"], servers.Select(s => s.ToString()));
    }
}
