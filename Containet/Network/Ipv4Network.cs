using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Containet.Native;

namespace Containet.Network;

/// <summary>An IPv4 network, ADDRESS/PREFIX with the host bits clear, and the arithmetic leases need.</summary>
public readonly record struct Ipv4Network(uint Network, int Prefix)
{
    public uint Mask => Prefix == 0 ? 0 : uint.MaxValue << (32 - Prefix);
    public uint Broadcast => Network | ~Mask;

    /// <summary>The first and last addresses a host may have: without the network and broadcast addresses, unless the net is a /31 or /32.</summary>
    public uint FirstHost => Prefix >= 31 ? Network : Network + 1;
    public uint LastHost => Prefix >= 31 ? Broadcast : Broadcast - 1;

    public bool Contains(uint address) => (address & Mask) == Network;
    public bool Contains(Ipv4Network other) => other.Prefix >= Prefix && Contains(other.Network);

    /// <summary>Parses A.B.C.D/N; host bits must be clear, as in `ip route`.</summary>
    public static Ipv4Network Parse(string text, string option)
    {
        (IPAddress Address, int Prefix) cidr;
        try
        {
            cidr = text.Contains('/') ? Addressing.ParseCidr(text) : throw new FormatException("write ADDRESS/PREFIX");
        }
        catch (FormatException e)
        {
            throw new FormatException($"{option} {text}: {e.Message}");
        }
        if (cidr.Address.AddressFamily != AddressFamily.InterNetwork) throw new FormatException($"{option} {text}: only IPv4 networks are supported");
        var net = new Ipv4Network(ToUInt(cidr.Address), cidr.Prefix);
        if ((net.Network & ~net.Mask) != 0)
            throw new FormatException($"{option} {text}: host bits are set; did you mean {ToAddress(net.Network & net.Mask)}/{net.Prefix}?");
        return net;
    }

    public static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static IPAddress ToAddress(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    public override string ToString() => $"{ToAddress(Network)}/{Prefix}";
}
