using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>linux/if_tun.h, linux/if.h and linux/sockios.h.</summary>
internal static unsafe partial class Libc
{
    public const int IFNAMSIZ = 16;
    public const nuint TUNSETIFF = 0x400454ca, TUNGETIFF = 0x800454d2, TUNSETOFFLOAD = 0x400454d0,
        TUNSETVNETHDRSZ = 0x400454d8, TUNGETVNETHDRSZ = 0x800454d7, TUNSETPERSIST = 0x400454cb;
    public const nuint SIOCGIFINDEX = 0x8933, SIOCGIFFLAGS = 0x8913;
    public const short IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    public const uint TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_TSO_ECN = 0x08, TUN_F_UFO = 0x10;

    /// <summary>struct ifreq with the union seen as the flags short or an int.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    public struct IfReq
    {
        public fixed byte Name[IFNAMSIZ];
        public short Flags;
    }
}
