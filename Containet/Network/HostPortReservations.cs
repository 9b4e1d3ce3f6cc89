using System.Net;
using System.Net.Sockets;
using Containet.Protocol;

namespace Containet.Network;

/// <summary>
/// The host ports that published ports hold: each is bound (not listened on) in the switch's namespace for as
/// long as it is published, as docker holds its ports, so a port something on the host already uses is refused
/// and nothing takes it later. Two nodes cannot publish the same port.
/// </summary>
public sealed class HostPortReservations : IDisposable
{
    private readonly List<(string Node, PortMapping Port, Socket Socket)> held = [];

    /// <summary>Holds all of <paramref name="ports"/> for <paramref name="node"/>, or none: the first that cannot be held throws.</summary>
    public void Reserve(string node, IReadOnlyList<PortMapping> ports)
    {
        lock (held)
        {
            var taken = new List<(string, PortMapping, Socket)>();
            try
            {
                foreach (var port in ports)
                {
                    foreach (var (other, p, _) in held.Concat(taken))
                        if (p.Protocol == port.Protocol && p.HostPort == port.HostPort && Overlap(p.HostAddress, port.HostAddress))
                            throw new ControlProtocolException($"host port {port.HostPort}/{port.Protocol} is already published by node {other}");
                    taken.Add((node, port, Bind(port)));
                }
            }
            catch
            {
                foreach (var (_, _, s) in taken) s.Dispose();
                throw;
            }
            held.AddRange(taken);
        }
    }

    private static bool Overlap(IPAddress? a, IPAddress? b) => a is null || b is null || a.Equals(b);

    private static Socket Bind(PortMapping port)
    {
        var socket = port.Protocol == "udp"
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(port.HostAddress ?? IPAddress.Any, port.HostPort));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ControlProtocolException(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"host port {port.HostPort}/{port.Protocol} is taken: something on the host uses it; publish another"
                : $"cannot hold host port {port.HostPort}/{port.Protocol}: {e.Message}");
        }
    }

    public void Release(string node)
    {
        lock (held)
        {
            foreach (var (n, _, s) in held)
                if (n == node) s.Dispose();
            held.RemoveAll(h => h.Node == node);
        }
    }

    public void Dispose()
    {
        lock (held)
        {
            foreach (var (_, _, s) in held) s.Dispose();
            held.Clear();
        }
    }
}
