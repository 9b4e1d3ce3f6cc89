namespace Containet.Ports;

/// <summary>Counters of one port. Receive counters are written by the port's one receive loop, send counters under its send lock.</summary>
public sealed class PortStats
{
    public long FramesIn, BytesIn, FramesOut, BytesOut, Drops, Errors;
}
