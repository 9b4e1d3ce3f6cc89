using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// rtnetlink requests for the few things a container's interface needs: up, MTU, MAC, address, default
/// route. Each call acts in the calling thread's network namespace (see <see cref="NetNamespace"/>).
/// </summary>
public static unsafe class Netlink
{
    public static int LinkIndex(string ifname)
    {
        var index = Libc.if_nametoindex(ifname);
        return index == 0 ? throw NativeException.Last("if_nametoindex", ifname) : (int)index;
    }

    public static void SetLinkUp(string ifname, bool up = true)
    {
        var m = NewLink(ifname, flags: up ? Libc.IFF_UP : 0, change: Libc.IFF_UP);
        Send(m, "set link up", ifname);
    }

    public static void SetMtu(string ifname, int mtu)
    {
        var m = NewLink(ifname, 0, 0);
        m.AttributeU32(Libc.IFLA_MTU, (uint)mtu);
        Send(m, "set mtu", ifname);
    }

    public static void SetMac(string ifname, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6) throw new ArgumentException("a MAC address has 6 bytes", nameof(mac));
        var m = NewLink(ifname, 0, 0);
        m.Attribute(Libc.IFLA_ADDRESS, mac);
        Send(m, "set mac", ifname);
    }

    /// <summary>Moves a link into the network namespace <paramref name="nsFd"/> refers to, renaming it on the way.</summary>
    public static void MoveToNamespace(string ifname, SafeFd nsFd, string newName)
    {
        var m = NewLink(ifname, 0, 0);
        var added = false;
        nsFd.DangerousAddRef(ref added);
        try
        {
            m.AttributeU32(Libc.IFLA_NET_NS_FD, (uint)nsFd.Number);
            Span<byte> name = stackalloc byte[System.Text.Encoding.ASCII.GetByteCount(newName) + 1];
            System.Text.Encoding.ASCII.GetBytes(newName, name);
            name[^1] = 0;
            m.Attribute(Libc.IFLA_IFNAME, name);
            Send(m, "move to namespace as " + newName, ifname);
        }
        finally
        {
            if (added) nsFd.DangerousRelease();
        }
    }

    public static void AddAddress(string ifname, IPAddress address, int prefixLength)
    {
        var index = LinkIndex(ifname);
        var m = new Message(Libc.RTM_NEWADDR, Libc.NLM_F_CREATE | Libc.NLM_F_EXCL);
        var family = Family(address);
        var scope = IPAddress.IsLoopback(address) ? Libc.RT_SCOPE_HOST : Libc.RT_SCOPE_UNIVERSE;
        Span<byte> body = [family, (byte)prefixLength, 0, scope, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], index);
        m.Body(body);
        Span<byte> raw = stackalloc byte[16];
        address.TryWriteBytes(raw, out var n);
        m.Attribute(Libc.IFA_LOCAL, raw[..n]);
        m.Attribute(Libc.IFA_ADDRESS, raw[..n]);
        Send(m, "add address " + address + "/" + prefixLength, ifname);
    }

    public static void AddDefaultRoute(IPAddress gateway)
    {
        var m = new Message(Libc.RTM_NEWROUTE, Libc.NLM_F_CREATE | Libc.NLM_F_EXCL);
        Span<byte> body = [Family(gateway), 0, 0, 0, Libc.RT_TABLE_MAIN, Libc.RTPROT_BOOT, Libc.RT_SCOPE_UNIVERSE, Libc.RTN_UNICAST, 0, 0, 0, 0];
        m.Body(body);
        Span<byte> raw = stackalloc byte[16];
        gateway.TryWriteBytes(raw, out var n);
        m.Attribute(Libc.RTA_GATEWAY, raw[..n]);
        Send(m, "add default route via " + gateway, null);
    }

    private static byte Family(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetwork ? (byte)Libc.AF_INET : (byte)Libc.AF_INET6;

    private static Message NewLink(string ifname, uint flags, uint change)
    {
        var m = new Message(Libc.RTM_NEWLINK, 0);
        Span<byte> body = stackalloc byte[Libc.IfInfoMsgSize];
        body.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], LinkIndex(ifname));
        BinaryPrimitives.WriteUInt32LittleEndian(body[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(body[12..], change);
        m.Body(body);
        return m;
    }

    /// <summary>
    /// Sends one request and waits for the kernel's acknowledgement of it, turning a NLMSG_ERROR into an exception.
    /// The socket is connected to the kernel, which then refuses it any message from another socket: in a network
    /// namespace a user owns (add-netns), that user's root may send netlink messages, and could otherwise answer
    /// in the kernel's place. An answer to another request (another sequence number) is passed over.
    /// </summary>
    private static void Send(Message m, string what, string? ifname)
    {
        using var fd = SafeFd.Check(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE), "socket", "AF_NETLINK");
        var kernel = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
        NativeException.Check(Libc.connect(fd, &kernel, (uint)sizeof(Libc.SockaddrNl)), "connect", "AF_NETLINK");
        var bytes = m.Finish();
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        fixed (byte* p = bytes)
            NativeException.Check((long)Libc.send(fd, p, (nuint)bytes.Length, 0), "netlink " + what, ifname);
        var reply = stackalloc byte[4096];
        while (true)
        {
            var n = (int)NativeException.Check((long)Libc.recv(fd, reply, 4096, 0), "netlink " + what, ifname);
            var span = new ReadOnlySpan<byte>(reply, n);
            while (span.Length >= Libc.NlMsgHdrSize)
            {
                var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
                if (type == Libc.NLMSG_ERROR && len >= Libc.NlMsgHdrSize + 4 && len <= span.Length
                    && BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) == sequence)
                {
                    var error = BinaryPrimitives.ReadInt32LittleEndian(span[Libc.NlMsgHdrSize..]);
                    if (error == 0) return;
                    throw new NativeException(-error, "netlink " + what, ifname);
                }
                if (len < Libc.NlMsgHdrSize || len > span.Length) break;
                span = span[((len + 3) & ~3)..];
            }
        }
    }

    /// <summary>An nlmsghdr, a fixed body and rtattrs, each 4-byte aligned, built in a small buffer.</summary>
    private sealed class Message
    {
        private readonly byte[] buffer = new byte[512];
        private int length = Libc.NlMsgHdrSize;
        private static int sequence;

        public Message(ushort type, ushort flags)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), type);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(6), (ushort)(flags | Libc.NLM_F_REQUEST | Libc.NLM_F_ACK));
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), (uint)Interlocked.Increment(ref sequence));
        }

        public void Body(ReadOnlySpan<byte> body)
        {
            body.CopyTo(buffer.AsSpan(length));
            length += (body.Length + 3) & ~3;
        }

        public void Attribute(ushort type, ReadOnlySpan<byte> value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(length), (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(length + 2), type);
            value.CopyTo(buffer.AsSpan(length + 4));
            length += (4 + value.Length + 3) & ~3;
        }

        public void AttributeU32(ushort type, uint value)
        {
            Span<byte> v = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(v, value);
            Attribute(type, v);
        }

        public ReadOnlySpan<byte> Finish()
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
            return buffer.AsSpan(0, length);
        }
    }
}
