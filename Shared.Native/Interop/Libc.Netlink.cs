using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, net/if.h.</summary>
internal static partial class Libc
{
    public const int NETLINK_ROUTE = 0;
    public const ushort NLMSG_ERROR = 2, RTM_NEWLINK = 16, RTM_NEWADDR = 20, RTM_NEWROUTE = 24;
    public const ushort NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    public const ushort IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_NET_NS_FD = 28;
    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2;
    public const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5;
    public const uint IFF_UP = 1;
    public const byte RT_TABLE_MAIN = 254, RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_HOST = 254, RTN_UNICAST = 1;
    public const int NlMsgHdrSize = 16, IfInfoMsgSize = 16, IfAddrMsgSize = 8, RtMsgSize = 12;

    /// <summary>struct sockaddr_nl: nl_family, a pad, nl_pid (0: the kernel) and nl_groups.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);
}
