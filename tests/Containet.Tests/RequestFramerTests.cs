using System.Text;
using Containet.Control;
using Containet.Native;
using Xunit;

namespace Containet.Tests;

public sealed class RequestFramerTests
{
    private static void Feed(RequestFramer framer, string text, SafeFd? fd = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(framer.Free);
        framer.Received(bytes.Length, fd);
    }

    private static List<RequestFramer.Item> Drain(RequestFramer framer)
    {
        var items = new List<RequestFramer.Item>();
        while (framer.TryNext(out var item)) items.Add(item);
        return items;
    }

    private static string Text(RequestFramer.Item item) => Encoding.UTF8.GetString(item.Json.Span);

    private static SafeFd NewFd() => UnixSocket.Pair().Item1;

    [Fact]
    public void A_request_split_anywhere_comes_out_whole_once_complete()
    {
        const string request = """{"authtoken":"t}{\"","list-ports":{}}""";
        for (var cut = 1; cut < request.Length; cut++)
        {
            using var framer = new RequestFramer();
            Feed(framer, request[..cut]);
            Assert.Empty(Drain(framer));
            Feed(framer, request[cut..]);
            var items = Drain(framer);
            Assert.Equal(request, Text(Assert.Single(items)));
        }
    }

    [Fact]
    public void Requests_written_together_come_out_one_by_one()
    {
        using var framer = new RequestFramer();
        Feed(framer, """ {"list-ports":{}}{"list-macs":{}}  {"list""");
        var items = Drain(framer);
        Assert.Equal(["""{"list-ports":{}}""", """{"list-macs":{}}"""], items.Select(Text));
        Feed(framer, """-ports":{}}""");
        Assert.Equal("""{"list-ports":{}}""", Text(Assert.Single(Drain(framer))));
    }

    [Fact]
    public void An_fd_goes_with_the_request_whose_bytes_it_came_with()
    {
        using var framer = new RequestFramer();
        using var fd = NewFd();
        Feed(framer, """{"list-ports":{}}""");
        Feed(framer, """{"add-ctrlsock":{"nodeid":"n"}}""", fd);
        var items = Drain(framer);
        Assert.Null(items[0].Fd);
        Assert.Same(fd, items[1].Fd);

        using var early = NewFd();
        Feed(framer, """{"add-ctrl""", early);
        Feed(framer, """sock":{"nodeid":"n"}}{"list-macs":{}}""");
        items = Drain(framer);
        Assert.Same(early, items[0].Fd);
        Assert.Null(items[1].Fd);
    }

    [Fact]
    public void A_second_fd_for_the_same_request_is_closed()
    {
        using var framer = new RequestFramer();
        var first = NewFd();
        var second = NewFd();
        Feed(framer, """{"add-ctrl""", first);
        Feed(framer, """sock":{"nodeid":"n"}}""", second);
        Assert.Same(first, Assert.Single(Drain(framer)).Fd);
        Assert.True(second.IsClosed);
        first.Dispose();
    }

    [Fact]
    public void An_oversized_request_is_rejected_once_and_skipped_to_its_end()
    {
        using var framer = new RequestFramer();
        var big = "{\"list-ports\":{\"x\":\"" + new string('}', 6000) + "\",\"y\":[{}]}}";
        var items = new List<RequestFramer.Item>();
        // As the server reads: at most what the buffer has room for, then whatever can be taken out.
        for (var i = 0; i < big.Length;)
        {
            var n = Math.Min(Math.Min(1000, framer.Free.Length), big.Length - i);
            Feed(framer, big.Substring(i, n));
            i += n;
            items.AddRange(Drain(framer));
        }
        Feed(framer, """{"list-macs":{}}""");
        items.AddRange(Drain(framer));

        Assert.Equal(2, items.Count);
        Assert.Contains("larger than 4096 bytes", items[0].Rejection);
        Assert.Equal("""{"list-macs":{}}""", Text(items[1]));
    }

    [Fact]
    public void A_request_of_exactly_the_limit_is_taken()
    {
        using var framer = new RequestFramer();
        var padding = RequestFramer.Limit - """{"list-ports":{},"x":""}""".Length;
        var request = "{\"list-ports\":{},\"x\":\"" + new string('a', padding) + "\"}";
        Feed(framer, request);
        Assert.Equal(request, Text(Assert.Single(Drain(framer))));
    }

    [Theory]
    [InlineData("{not json", "malformed JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("}", "malformed JSON")]
    public void Bad_bytes_get_one_rejection_and_the_fd_with_them_is_closed(string bad, string reason)
    {
        using var framer = new RequestFramer();
        var fd = NewFd();
        Feed(framer, bad, fd);
        var rejection = Assert.Single(Drain(framer));
        Assert.Contains(reason, rejection.Rejection);
        Assert.True(fd.IsClosed);
        Feed(framer, """{"list-ports":{}}""");
        Assert.Equal("""{"list-ports":{}}""", Text(Assert.Single(Drain(framer))));
    }
}
