using System.Buffers.Binary;

namespace Containet.Frames;

/// <summary>One frame as read from a port: the Ethernet bytes and the offload state that came with them.</summary>
public readonly ref struct Frame
{
    public const int EthernetHeader = 14;
    /// <summary>An 802.1Q tag: the EtherType that announces it, and the bytes it adds after the MAC addresses.</summary>
    public const ushort EtherTypeVlan = 0x8100;
    public const int VlanTag = 4;
    /// <summary>The largest Ethernet frame a port accepts: a 64 KB GSO super-frame plus headers.</summary>
    public const int MaxEthernet = 65535 + EthernetHeader + 4;

    public readonly ReadOnlySpan<byte> Ethernet;
    public readonly VnetHeader Vnet;

    public Frame(ReadOnlySpan<byte> ethernet, VnetHeader vnet)
    {
        Ethernet = ethernet;
        Vnet = vnet;
    }

    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(Ethernet[12..]);

    public enum ParseError { None, TooShort, TooLong }

    /// <summary>Strips a port's framing from what the TAP returned; no copy, no allocation.</summary>
    public static ParseError TryParse(ReadOnlySpan<byte> raw, Framing framing, out Frame frame)
    {
        frame = default;
        if (raw.Length < framing.HeaderSize + EthernetHeader) return ParseError.TooShort;
        var offset = framing.PacketInfo ? Framing.PacketInfoSize : 0;
        var vnet = framing.HasVnet ? VnetHeader.Read(raw[offset..]) : default;
        var ethernet = raw[framing.HeaderSize..];
        if (ethernet.Length > MaxEthernet) return ParseError.TooLong;
        frame = new Frame(ethernet, vnet);
        return ParseError.None;
    }
}
