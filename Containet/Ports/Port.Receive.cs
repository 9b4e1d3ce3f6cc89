using Containet.Native;

namespace Containet.Ports;

public sealed partial class Port
{
    /// <summary>How many frames one wake-up reads before the loop serves other ports.</summary>
    private const int Burst = 64;

    /// <summary>
    /// Reads what the TAP has ready and hands each frame to <paramref name="forward"/>; <paramref name="frames"/>
    /// says how many. Returns null while the port is healthy, or why it must close: the device went away
    /// (EBADFD once its namespace died) or the fd broke.
    /// </summary>
    public string? ReceiveBurst(Span<byte> buffer, FrameHandler forward, out int frames)
    {
        frames = 0;
        for (var i = 0; i < Burst; i++, frames++)
        {
            int n;
            try
            {
                n = FdIo.Read(Tap.Handle, buffer);
            }
            catch (ObjectDisposedException)
            {
                return "closed";
            }
            if (n > 0)
            {
                forward(this, buffer[..n]);
                continue;
            }
            if (n == -Errno.EAGAIN) return null;
            return n == 0 ? "device closed" : n == -Errno.EBADFD ? "device removed" : "read failed: " + Errno.Name(-n);
        }
        return null;
    }
}

/// <summary>Called for each frame a port reads, with the port's framing still in front of it.</summary>
public delegate void FrameHandler(Port ingress, ReadOnlySpan<byte> raw);
