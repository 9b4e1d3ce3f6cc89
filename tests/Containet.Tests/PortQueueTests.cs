using Containet.Frames;
using Containet.Native;
using Containet.Ports;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// A port whose device stops taking frames. A real TAP practically never pushes back, so a datagram socket
/// whose far end nobody reads plays the stuck device: writes fail with EAGAIN once its buffer is full.
/// </summary>
public sealed class PortQueueTests
{
    private static byte[] FrameNumber(int i)
    {
        var f = new byte[1000];
        f[0] = 0x02;
        f[6] = 0x02;
        f[12] = 0x08;
        BitConverter.TryWriteBytes(f.AsSpan(14), i);
        return f;
    }

    [Fact]
    public void A_stuck_port_queues_up_to_its_bound_then_drops_and_delivers_in_order_once_writable()
    {
        var (near, far) = UnixSocket.Pair(datagram: true);
        FdIo.SetNonBlocking(near);
        FdIo.SetNonBlocking(far);
        using var _ = far;
        var port = new Port("n", "eth0", "t", TapDevice.Impersonate(near, "fake0", TapFlags.NoPacketInfo), queueLimitBytes: 64 * 1024);
        var interest = new List<bool>();
        port.WriteInterest = (_, on) => interest.Add(on);

        for (var i = 0; i < 2000; i++)
            port.Enqueue(FrameNumber(i), default);

        Assert.True(port.Stats.Drops > 0, "a full queue must drop");
        Assert.InRange(port.QueuedBytes, 1, 64 * 1024);
        Assert.Equal([true], interest);

        // The device drains: read what it holds, tell the port, and everything queued arrives in order.
        var received = new List<int>();
        var buffer = new byte[2048];
        while (true)
        {
            int n;
            while ((n = FdIo.Read(far, buffer)) > 0) received.Add(BitConverter.ToInt32(buffer, 14));
            if (port.QueuedBytes == 0) break;
            port.OnWritable();
        }

        Assert.Equal(2000 - port.Stats.Drops, received.Count);
        for (var i = 1; i < received.Count; i++) Assert.True(received[i] > received[i - 1], "frames must stay in order");
        Assert.Equal(received.Count, port.Stats.FramesOut);
        Assert.Equal([true, false], interest);
        port.Close("test");
        port.Release();
    }
}
