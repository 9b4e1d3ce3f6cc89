using System.Buffers;
using System.Text.Json;
using Containet.Native;
using Containet.Ports;
using Containet.Restart;
using Containet.Switching;

namespace Containet.Control;

/// <summary>
/// Carries out one parsed request against the switch for a connection's peer and writes the JSON reply. A peer
/// on a node's own control socket speaks for that node only; remove-etherfd without a token is for the
/// switch's own socket only.
/// </summary>
public sealed class ControlHandler(FrameSwitch frameSwitch, string? requiredToken, Action<string, SafeFd> addCtrlSock, NetnsPool? pool, PortKeeper? keeper)
{
    /// <summary>
    /// Executes the request; the fd is consumed (owned by a new port or socket) or disposed by the caller, and
    /// <paramref name="replyFd"/> is an fd to send back with the reply (the caller sends and closes it). Ports
    /// made here are recorded on <paramref name="connection"/>; those take-netns made end with it.
    /// </summary>
    public byte[] Handle(ControlRequest request, ref SafeFd? fd, out SafeFd? replyFd, ControlConnection connection)
    {
        replyFd = null;
        var peer = connection.Peer;
        if (requiredToken is not null && request.Token != requiredToken)
            throw new ControlProtocolException("bad or missing authtoken");
        if (request.NeedsFd && fd is null)
            throw new ControlProtocolException("this request needs a file descriptor (SCM_RIGHTS)");
        if (request.Node is { } node && !peer.MaySpeakFor(node))
            throw new ControlProtocolException($"this control socket speaks for node {peer.Node} only");
        switch (request)
        {
            case ControlRequest.AddEtherFd add:
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
                return Ok;
            case ControlRequest.RemoveEtherFd remove:
                CheckRemoval(remove.NodeId, request.Token, peer);
                // Idempotent, like rm -f: a container's port may already have ended with its namespace.
                frameSwitch.RemoveNode(remove.NodeId, "remove-etherfd");
                return Ok;
            case ControlRequest.AddCtrlSock ctrl:
                if (!UnixSocket.IsListening(fd!))
                    throw new ControlProtocolException("the fd is not a listening socket");
                addCtrlSock(ctrl.NodeId, fd!);
                fd = null;
                return Ok;
            case ControlRequest.TakeNetns take:
                if (pool is null) throw new ControlProtocolException("this switch hands out no network namespaces (--netns-pool 0)");
                if (take.IfName != NetnsPool.Interface) throw new ControlProtocolException($"take-netns makes {NetnsPool.Interface} only");
                var (ns, poolTap) = pool.Take();
                try
                {
                    NetNamespace.Run(ns, () =>
                    {
                        take.Config.Apply(take.IfName);
                        return true;
                    });
                    // Pinned, the port can come back after the switch dies, for as long as its launcher lives.
                    var launcher = ProcessIdentity.Of(peer.Pid);
                    var pinned = launcher is not null && keeper is not null && keeper.Pin(take.NodeId, ns, poolTap);
                    Port taken;
                    try
                    {
                        taken = frameSwitch.AddPort(take.NodeId, take.IfName, request.Token, poolTap);
                    }
                    catch
                    {
                        if (pinned) keeper!.Unpin(take.NodeId);
                        throw;
                    }
                    connection.Hold(taken, endsWithConnection: true);
                    keeper?.Keep(taken, pinned ? launcher : null);
                }
                catch
                {
                    poolTap.Dispose();
                    ns.Dispose();
                    throw;
                }
                replyFd = ns;
                return Ok;
            case ControlRequest.ListPorts:
                return Json(w => PortsJson(w, frameSwitch.Ports, peer));
            case ControlRequest.ListMacs:
                return Json(w => MacsJson(w, frameSwitch, peer));
            default:
                throw new ControlProtocolException("unsupported request");
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

    public static readonly byte[] Ok = "{}"u8.ToArray();

    public static byte[] Error(string message) => Json(w => w.WriteString("error", message));

    private static void PortsJson(Utf8JsonWriter w, IReadOnlyList<Port> ports, ControlPeer peer)
    {
        w.WriteStartArray("ports");
        foreach (var p in ports)
        {
            if (!peer.MaySpeakFor(p.NodeId)) continue;
            w.WriteStartObject();
            w.WriteString("nodeid", p.NodeId);
            w.WriteString("ifname", p.IfName);
            w.WriteString("device", p.Tap.Name);
            w.WriteString("framing", p.Framing.ToString());
            w.WriteNumber("frames_in", p.Stats.FramesIn);
            w.WriteNumber("bytes_in", p.Stats.BytesIn);
            w.WriteNumber("frames_out", p.Stats.FramesOut);
            w.WriteNumber("bytes_out", p.Stats.BytesOut);
            w.WriteNumber("drops", p.Stats.Drops);
            w.WriteNumber("errors", p.Stats.Errors);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void MacsJson(Utf8JsonWriter w, FrameSwitch s, ControlPeer peer)
    {
        var now = Environment.TickCount64;
        w.WriteStartArray("macs");
        foreach (var (mac, port, seen) in s.Macs.Snapshot())
        {
            if (!peer.MaySpeakFor(port.NodeId)) continue;
            w.WriteStartObject();
            w.WriteString("mac", Mac.Format(mac));
            w.WriteString("nodeid", port.NodeId);
            w.WriteString("ifname", port.IfName);
            w.WriteNumber("age_ms", Math.Max(0, now - seen));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
