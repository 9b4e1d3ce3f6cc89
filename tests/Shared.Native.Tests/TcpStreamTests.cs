using System.Net;
using System.Net.Sockets;
using Containet.Native;
using Xunit;

namespace Shared.Native.Tests;

public sealed class TcpStreamTests
{
    private static readonly byte[] Loopback = [127, 0, 0, 1];
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void Bytes_go_both_ways_and_the_end_of_the_peer_is_a_zero_read()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var tcp = TcpStream.Connect("127.0.0.1", Loopback, port, Long, Long, CancellationToken.None);
        using (var peer = listener.AcceptSocket())
        {
            tcp.Write("ping"u8);
            var got = new byte[4];
            Assert.Equal(4, peer.Receive(got));
            Assert.Equal("ping"u8.ToArray(), got);
            peer.Send("pong"u8.ToArray());
            var buffer = new byte[16];
            Assert.Equal(4, tcp.Read(buffer));
            Assert.Equal("pong"u8.ToArray(), buffer[..4]);
        }
        Assert.Equal(0, tcp.Read(new byte[16]));
    }

    [Fact]
    public void A_refused_connection_names_the_peer_and_the_errno()
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var e = Assert.Throws<NativeException>(() => TcpStream.Connect("127.0.0.1", Loopback, port, Long, Long, CancellationToken.None));
        Assert.Equal(Errno.ECONNREFUSED, e.Errno);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task Abort_from_another_thread_ends_a_blocked_read()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var tcp = TcpStream.Connect("127.0.0.1", Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, Long, Long, CancellationToken.None);
        using var peer = listener.AcceptSocket();
        var reader = Task.Factory.StartNew(() => tcp.Read(new byte[16]), TaskCreationOptions.LongRunning);
        tcp.Abort();
        // The peer never sends: only the abort can end the read, early or blocked.
        Assert.Equal(0, await reader.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Abort_after_dispose_does_nothing()
    {
        // A cancelled request's callback and its caller's clean-up may both end one connection, in either order.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var tcp = TcpStream.Connect("127.0.0.1", Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, Long, Long, CancellationToken.None);
        tcp.Dispose();
        tcp.Abort();
    }

    [Fact]
    public void A_silent_peer_makes_a_read_fail_after_the_read_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var tcp = TcpStream.Connect("127.0.0.1", Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, Long, TimeSpan.FromSeconds(1), CancellationToken.None);
        using var peer = listener.AcceptSocket();
        var e = Assert.Throws<NativeException>(() => tcp.Read(new byte[16]));
        Assert.Equal(Errno.ETIMEDOUT, e.Errno);
    }
}
