using Containet.Native;

namespace Containet.Frames;

/// <summary>
/// What a port's TAP puts in front of each Ethernet frame: the 4-byte packet-information header unless
/// IFF_NO_PI, then the virtio-net header when IFF_VNET_HDR. The kernel writes them in that order.
/// </summary>
public readonly record struct Framing(bool PacketInfo, int VnetHeaderSize)
{
    public const int PacketInfoSize = 4;

    public static Framing Of(TapFlags flags, int vnetHeaderSize) =>
        new(!flags.HasFlag(TapFlags.NoPacketInfo), flags.HasFlag(TapFlags.VnetHeader) ? vnetHeaderSize : 0);

    public int HeaderSize => (PacketInfo ? PacketInfoSize : 0) + VnetHeaderSize;
    public bool HasVnet => VnetHeaderSize > 0;

    public override string ToString() =>
        (PacketInfo ? "pi" : "no-pi") + (HasVnet ? $"+vnet{VnetHeaderSize}" : "");
}
