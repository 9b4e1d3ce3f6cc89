using Containet.Frames;
using Containet.Native;
using Xunit;

namespace Containet.Tests;

public sealed class FrameTests
{
    private static byte[] Ethernet(int payload = 46)
    {
        var f = new byte[14 + payload];
        f[0] = 0xff; f[1] = 0xff; f[2] = 0xff; f[3] = 0xff; f[4] = 0xff; f[5] = 0xff;
        f[6] = 0x02; f[11] = 0x01;
        f[12] = 0x08; f[13] = 0x06;
        return f;
    }

    [Fact]
    public void Strips_the_packet_information_header()
    {
        byte[] raw = [0, 0, 0x08, 0x06, .. Ethernet()];
        Assert.Equal(Frame.ParseError.None, Frame.TryParse(raw, Framing.Of(TapFlags.None, 0), out var frame));
        Assert.Equal(60, frame.Ethernet.Length);
        Assert.Equal(0x0806, frame.EtherType);
    }

    [Fact]
    public void Reads_the_vnet_header_after_no_pi()
    {
        var vnet = new byte[12];
        new VnetHeader(VnetHeader.NeedsCsum, VnetHeader.GsoTcpV4, 54, 1448, 34, 16).Write(vnet);
        byte[] raw = [.. vnet, .. Ethernet()];
        Assert.Equal(Frame.ParseError.None, Frame.TryParse(raw, Framing.Of(TapFlags.NoPacketInfo | TapFlags.VnetHeader, 12), out var frame));
        Assert.True(frame.Vnet.IsGso);
        Assert.True(frame.Vnet.NeedsChecksum);
        Assert.Equal(1448, frame.Vnet.GsoSize);
        Assert.Equal(0x0806, frame.EtherType);
    }

    [Fact]
    public void Pi_then_vnet_when_both()
    {
        byte[] raw = [0, 0, 0x08, 0x06, .. new byte[10], .. Ethernet()];
        Assert.Equal(Frame.ParseError.None, Frame.TryParse(raw, Framing.Of(TapFlags.VnetHeader, 10), out var frame));
        Assert.Equal(60, frame.Ethernet.Length);
    }

    [Fact]
    public void Too_short_and_too_long_are_errors()
    {
        Assert.Equal(Frame.ParseError.TooShort, Frame.TryParse(new byte[13], Framing.Of(TapFlags.NoPacketInfo, 0), out _));
        Assert.Equal(Frame.ParseError.TooShort, Frame.TryParse(new byte[17], Framing.Of(TapFlags.None, 0), out _));
        Assert.Equal(Frame.ParseError.TooLong, Frame.TryParse(new byte[Frame.MaxEthernet + 1], Framing.Of(TapFlags.NoPacketInfo, 0), out _));
    }
}
