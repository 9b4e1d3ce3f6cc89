using System.Text;
using Containet.Native;
using Containet.Protocol;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>The control stream is a stream: requests are reassembled from bytes, whatever the writes were.</summary>
public sealed class ControlFramingTests
{
    [RootFact]
    public void A_request_split_across_writes_is_answered_once_whole()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var c = new ControlStream(sw.Socket);

        c.Write("""{"list-po""");
        Assert.True(c.SilentFor(TimeSpan.FromMilliseconds(200)), "half a request gets no reply");
        c.Write("""rts":{}}""");

        Assert.StartsWith("""{"ports":[""", c.Read(1)[0]);
    }

    [RootFact]
    public void Two_requests_in_one_write_get_two_replies_in_order()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var c = new ControlStream(sw.Socket);

        c.Write("""{"list-ports":{}} {"list-macs":{}}""");

        var replies = c.Read(2);
        Assert.StartsWith("""{"ports":""", replies[0]);
        Assert.StartsWith("""{"macs":""", replies[1]);
    }

    [RootFact]
    public void An_fd_goes_with_the_request_its_bytes_came_with()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var c = new ControlStream(sw.Socket);
        using var first = UnixSocket.Listen(sw.Dir.Combine("first.sock"));
        using var second = UnixSocket.Listen(sw.Dir.Combine("second.sock"));

        // As the original client writes: one request per sendmsg, the fd with its own, before reading replies.
        c.Write("""{"list-ports":{}}""");
        c.Write("""{"authtoken":"t","add-ctrlsock":{"nodeid":"first"}}""", first);
        // A request in two writes, its fd with the first half.
        c.Write("""{"authtoken":"t","add-ctrl""", second);
        c.Write("""sock":{"nodeid":"second"}}""");

        var replies = c.Read(3);
        Assert.StartsWith("""{"ports":""", replies[0]);
        Assert.Equal("{}", replies[1]);
        Assert.Equal("{}", replies[2]);
        using var viaFirst = SwitchClient.Connect(sw.Dir.Combine("first.sock"));
        viaFirst.Query(new SwitchRequest.ListPorts(null)).Dispose();
    }

    [RootFact]
    public void An_oversized_request_gets_one_error_and_the_next_request_is_served()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var c = new ControlStream(sw.Socket);

        c.Write("{\"list-ports\":{\"x\":\"" + new string('a', 6000) + "\"}}");
        c.Write("""{"list-macs":{}}""");

        var replies = c.Read(2);
        Assert.Contains("larger than 4096 bytes", replies[0]);
        Assert.StartsWith("""{"macs":""", replies[1]);
        Assert.True(c.SilentFor(TimeSpan.FromMilliseconds(300)), "one reply per rejected message");
    }

    [RootFact]
    public void A_flood_of_bad_requests_gets_a_reply_each_but_few_log_lines()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var c = new ControlStream(sw.Socket);

        for (var i = 0; i < 10; i++)
            c.Write(string.Concat(Enumerable.Repeat("""{"nuke":{}}""", 30)));

        var replies = c.Read(300);
        Assert.All(replies, r => Assert.Contains("unknown request", r));
        sw.WaitForLog("suppressed");
        var warnings = sw.Log.Split('\n').Count(l => l.Contains("unknown request"));
        Assert.InRange(warnings, 1, 10);
    }

    [RootFact]
    public void Node_ids_with_control_characters_are_refused_and_never_logged_raw()
    {
        using var sw = new SwitchProcess("--netns-pool", "0");
        using var client = SwitchClient.Connect(sw.Socket);
        using var listener = UnixSocket.Listen(sw.Dir.Combine("esc.sock"));

        var e = Assert.Throws<SwitchException>(() => client.AddCtrlSock("t", "\u001b[2Jevil", listener));
        Assert.Contains("node id", e.Message);
        Assert.Contains("unknown request", client.Raw(Encoding.UTF8.GetBytes("{\"\\u001b[2Jnuke\":{}}")));

        sw.WaitForLog("nuke");
        Assert.DoesNotContain('\u001b', sw.Log);
        Assert.Contains("\\x1b[2Jnuke", sw.Log);
    }
}
