using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>linux/if_tun.h, linux/if.h and linux/sockios.h.</summary>
internal static unsafe partial class Libc
{
    public const int IFNAMSIZ = 16;
    public const nuint TUNSETIFF = 0x400454ca, TUNGETIFF = 0x800454d2, TUNSETOFFLOAD = 0x400454d0,
        TUNSETVNETHDRSZ = 0x400454d8, TUNGETVNETHDRSZ = 0x800454d7, TUNSETPERSIST = 0x400454cb,
        TUNATTACHFILTER = 0x401054d5, TUNDETACHFILTER = 0x401054d6;
    public const ushort BPF_RET_K = 0x06;
    public const nuint SIOCGIFINDEX = 0x8933, SIOCGIFFLAGS = 0x8913;
    public const short IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    public const uint TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_TSO_ECN = 0x08, TUN_F_UFO = 0x10;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFilter { public ushort Code; public byte Jt; public byte Jf; public uint K; }

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog { public ushort Len; public SockFilter* Filter; }

    /// <summary>struct ifreq with the union seen as the flags short or an int.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    public struct IfReq
    {
        public fixed byte Name[IFNAMSIZ];
        public short Flags;
    }
}
