using System.Text.Json;
using Containet.Native;
using Containet.Network;
using Containet.Ports;
using Containet.Protocol;
using Containet.Restart;
using Containet.Switching;

namespace Containet.Control;

/// <summary>
/// Carries out one parsed request against the switch for a connection's peer and writes the JSON reply. A peer
/// on a node's own control socket speaks for that node only; remove-etherfd without a token is for the
/// switch's own socket only. The switch's network (--subnet) gives take-netns and add-netns their address and
/// publishes ports. add-netns takes a namespace of the peer's own (<see cref="GivenNamespace"/>), and a user holds at
/// most <c>maxGivenPerUser</c> such ports at once.
/// </summary>
public sealed class ControlHandler(FrameSwitch frameSwitch, string? requiredToken, Action<string, SafeFd> addCtrlSock, NetnsPool? pool, PortKeeper? keeper,
    SwitchNetwork? network = null, int maxGivenPerUser = 64)
{
    private readonly Lock givenGate = new();

    /// <summary>
    /// Executes the request; the fd is consumed (owned by a new port or socket) or disposed by the caller, and
    /// <paramref name="replyFd"/> is an fd to send back with the reply (the caller sends and closes it). Ports
    /// made here are recorded on <paramref name="connection"/>; those take-netns made end with it.
    /// </summary>
    public byte[] Handle(SwitchRequest request, ref SafeFd? fd, out SafeFd? replyFd, ControlConnection connection)
    {
        replyFd = null;
        var peer = connection.Peer;
        if (requiredToken is not null && request.Token != requiredToken)
            throw new ControlProtocolException("bad or missing authtoken");
        if (request.NeedsFd && fd is null)
            throw new ControlProtocolException("this request needs a file descriptor (SCM_RIGHTS)");
        if (request.Node is { } node && !peer.MaySpeakFor(node))
            throw new ControlProtocolException($"this control socket speaks for node {peer.Node} only");
        if (request.Node == SwitchNetwork.HostNode && request is not SwitchRequest.Publish)
            throw new ControlProtocolException($"node {SwitchNetwork.HostNode} is the switch's host port");
        switch (request)
        {
            case SwitchRequest.AddEtherFd add:
                TapDevice tap;
                try
                {
                    tap = TapDevice.Adopt(fd!);
                }
                catch (NativeException e)
                {
                    throw new ControlProtocolException("the fd is not a TAP device: " + e.Message);
                }
                fd = null;
                var added = frameSwitch.AddPort(add.NodeId, add.IfName, request.Token, tap);
                connection.Hold(added, endsWithConnection: false);
                keeper?.Keep(added, launcher: null);
                return Reply.Ok;
            case SwitchRequest.RemoveEtherFd remove:
                CheckRemoval(remove.NodeId, request.Token, peer);
                // Idempotent, like rm -f: a container's port may already have ended with its namespace.
                frameSwitch.RemoveNode(remove.NodeId, "remove-etherfd");
                network?.Release(remove.NodeId, "remove-etherfd");
                return Reply.Ok;
            case SwitchRequest.AddCtrlSock ctrl:
                try
                {
                    // The original containode hands over a socket it bound but left to the switch to listen on.
                    UnixSocket.EnsureListening(fd!);
                }
                catch (NativeException e)
                {
                    throw new ControlProtocolException("the fd is not a listening socket, nor a bound one to listen on: " + e.Message);
                }
                addCtrlSock(ctrl.NodeId, fd!);
                fd = null;
                return Reply.Ok;
            case SwitchRequest.TakeNetns take:
                return TakeNetns(take, request.Token, peer, connection, out replyFd);
            case SwitchRequest.AddNetns netns:
                return AddNetns(netns, request.Token, peer, connection, ref fd);
            case SwitchRequest.Publish publish:
                if (network is null) throw new ControlProtocolException("this switch has no network to publish ports on: start it with --subnet and --nat");
                network.Publish(publish.NodeId, publish.Ports);
                return Reply.Ok;
            case SwitchRequest.ListPorts:
                return Reply.Object(w => PortsJson(w, frameSwitch.Ports, peer));
            case SwitchRequest.ListMacs:
                return Reply.Object(w => MacsJson(w, frameSwitch, peer));
            case SwitchRequest.ListLeases:
                return Reply.Object(w => LeasesJson(w, peer));
            case SwitchRequest.ShowNetwork:
                return Reply.Object(w => (network?.Info() ?? new NetworkInfo(null, null, null, null, false, null, [])).Write(w));
            case SwitchRequest.Version:
                return Reply.Object(w => w.WriteString("version", "containet " + typeof(ControlHandler).Assembly.GetName().Version?.ToString(3)));
            default:
                throw new ControlProtocolException("unsupported request");
        }
    }

    private byte[] TakeNetns(SwitchRequest.TakeNetns take, string? token, ControlPeer peer, ControlConnection connection, out SafeFd? replyFd)
    {
        if (pool is null) throw new ControlProtocolException("this switch hands out no network namespaces (--netns-pool 0)", ErrorCodes.Unsupported);
        if (take.IfName != NetnsPool.Interface) throw new ControlProtocolException($"take-netns makes {NetnsPool.Interface} only");
        var reply = Plug(take.NodeId, take.Config, token, peer, connection, config =>
        {
            var (ns, tap) = pool.Take();
            try
            {
                NetNamespace.Run(ns, () =>
                {
                    config.Apply(NetnsPool.Interface);
                    return true;
                });
                return (ns, tap);
            }
            catch
            {
                tap.Dispose();
                ns.Dispose();
                throw;
            }
        }, out var taken);
        replyFd = taken;
        return reply;
    }

    /// <summary>
    /// eth0 made inside a namespace the peer handed over, which the peer's own user namespace owns (a rootless
    /// launcher's container): the switch, as the host's root, makes there what the peer has no right to make.
    /// </summary>
    private byte[] AddNetns(SwitchRequest.AddNetns add, string? token, ControlPeer peer, ControlConnection connection, ref SafeFd? fd)
    {
        if (add.IfName != NetnsPool.Interface) throw new ControlProtocolException($"add-netns makes {NetnsPool.Interface} only");
        GivenNamespace.Check(fd!, peer.Uid);
        var given = fd!;
        fd = null;
        lock (givenGate)
        {
            var held = 0;
            foreach (var p in frameSwitch.Ports)
                if (p.GivenBy == peer.Uid) held++;
            if (held >= maxGivenPerUser)
            {
                given.Dispose();
                throw new ControlProtocolException($"too many ports in namespaces of uid {peer.Uid}: {held} (--max-connections-per-peer {maxGivenPerUser})");
            }
            try
            {
                return Plug(add.NodeId, add.Config, token, peer, connection, config => (given, NetNamespace.Run(given, () =>
                {
                    var tap = TapDevice.Create(NetnsPool.Interface, NetnsPool.Flags);
                    try
                    {
                        config.Apply(NetnsPool.Interface);
                        return tap;
                    }
                    catch
                    {
                        tap.Dispose();
                        throw;
                    }
                })), out _, port => port.GivenBy = peer.Uid);
            }
            finally
            {
                // The TAP opened inside keeps the namespace alive (and the pin, when there is one): the fd is not needed.
                given.Dispose();
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="node"/>'s eth0 a port, in a namespace <paramref name="make"/> gives with the TAP inside
    /// it set up as the switch's network grants: pinned, so that it can come back after a crash for as long as its
    /// launcher lives, and ended with the connection. Returns the grant's reply and the namespace; on a failure
    /// the namespace and the TAP are closed and the lease released.
    /// </summary>
    private byte[] Plug(string node, InterfaceConfig asked, string? token, ControlPeer peer, ControlConnection connection,
        Func<InterfaceConfig, (SafeFd Namespace, TapDevice Tap)> make, out SafeFd ns, Action<Port>? mark = null)
    {
        var launcher = ProcessIdentity.Of(peer.Pid);
        var (config, grant) = network?.Grant(node, asked, launcher) ?? (asked, new NetnsGrant(asked.Address, asked.Gateway, null));
        var granted = network is not null;
        try
        {
            var (made, tap) = make(config);
            try
            {
                // Pinned, the port can come back after the switch dies, for as long as its launcher lives.
                var pinned = launcher is not null && keeper is not null && keeper.Pin(node, made, tap);
                Port port;
                try
                {
                    port = frameSwitch.AddPort(node, NetnsPool.Interface, token, tap);
                }
                catch
                {
                    if (pinned) keeper!.Unpin(node);
                    throw;
                }
                granted = false; // the lease is the port's now, and ends with it
                port.Address = grant.Address is { } a ? $"{a.Address}/{a.Prefix}" : null;
                mark?.Invoke(port);
                connection.Hold(port, endsWithConnection: true);
                keeper?.Keep(port, pinned ? launcher : null);
            }
            catch
            {
                tap.Dispose();
                made.Dispose();
                throw;
            }
            ns = made;
            return grant.Encode();
        }
        finally
        {
            if (granted) network!.Release(node, "the namespace's port failed");
        }
    }

    /// <summary>
    /// With a token, one of the node's ports must have been added with it (the node's owner then removes them
    /// all, also those added through its control socket); without one, only an administrator may remove.
    /// Under --token-file the file's token, checked above, is the only one.
    /// </summary>
    private void CheckRemoval(string node, string? token, ControlPeer peer)
    {
        if (requiredToken is not null) return;
        if (token is null)
        {
            if (!peer.IsAdmin) throw new ControlProtocolException("remove-etherfd needs the authtoken the node's ports were added with");
            return;
        }
        var any = false;
        foreach (var p in frameSwitch.Ports)
        {
            if (p.NodeId != node) continue;
            if (p.Token == token) return;
            any = true;
        }
        if (any) throw new ControlProtocolException($"authtoken does not match node {node}");
    }

    /// <summary>Ends the ports a closed connection took: their launcher is gone, however it ended.</summary>
    public void Release(IEnumerable<Port> taken)
    {
        foreach (var port in taken) frameSwitch.RemovePort(port, "its launcher's connection closed");
    }

    private void PortsJson(Utf8JsonWriter w, IReadOnlyList<Port> ports, ControlPeer peer)
    {
        w.WriteStartArray("ports");
        foreach (var p in ports)
            if (peer.MaySpeakFor(p.NodeId))
                new PortEntry(p.NodeId, p.IfName, p.Tap.Name, p.Framing.ToString(), p.Address ?? network?.AddressOf(p.NodeId),
                    p.Stats.FramesIn, p.Stats.BytesIn, p.Stats.FramesOut, p.Stats.BytesOut, p.Stats.Drops, p.Stats.Errors, p.Loop?.Index).Write(w);
        w.WriteEndArray();
    }

    private static void MacsJson(Utf8JsonWriter w, FrameSwitch s, ControlPeer peer)
    {
        var now = Environment.TickCount64;
        w.WriteStartArray("macs");
        foreach (var (mac, port, seen) in s.Macs.Snapshot())
            if (peer.MaySpeakFor(port.NodeId))
                new MacEntry(Mac.Format(mac), port.NodeId, port.IfName, Math.Max(0, now - seen)).Write(w);
        w.WriteEndArray();
    }

    private void LeasesJson(Utf8JsonWriter w, ControlPeer peer)
    {
        w.WriteStartArray("leases");
        foreach (var lease in network?.Leases() ?? [])
            if (peer.MaySpeakFor(lease.NodeId)) lease.Write(w);
        w.WriteEndArray();
    }
}
