namespace Containet.Native;

/// <summary>How a TAP frames what it reads and expects what it is written (the IFF_* bits beside IFF_TAP).</summary>
[Flags]
public enum TapFlags : short
{
    /// <summary>Every frame carries a 4-byte packet-information header (the original containet's framing).</summary>
    None = 0,
    /// <summary>IFF_NO_PI: frames carry no packet-information header.</summary>
    NoPacketInfo = 0x1000,
    /// <summary>IFF_VNET_HDR: frames start with a virtio-net header (checksum and segmentation offload).</summary>
    VnetHeader = 0x4000,
}
