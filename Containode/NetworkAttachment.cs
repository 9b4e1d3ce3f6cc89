using System.Net;
using Containet.Native;

namespace Containode;

/// <summary>
/// The container's network, plugged in from outside once the child exists: lo up, and with a switch an
/// eth0 TAP opened here, moved into the container's namespace, configured by netlink and handed to the
/// switch. The TAP dies with the namespace, and the switch port with it, however containode ends.
/// </summary>
public sealed class NetworkAttachment : IDisposable
{
    private readonly SwitchClient? client;
    private readonly string token;
    private readonly string nodeId;
    private bool attached;

    public NetworkAttachment(string? socket, string token, string nodeId)
    {
        this.token = token;
        this.nodeId = nodeId;
        if (socket is null) return;
        try
        {
            client = SwitchClient.Connect(socket);
        }
        catch (NativeException e) when (e.Errno is Errno.ENOENT or Errno.ECONNREFUSED or Errno.ENOTSOCK)
        {
            throw new LaunchException($"no switch is listening on {socket} ({e.ErrnoName}): start one with `containet -s {socket}`");
        }
    }

    public void Plug(int pid, LaunchOptions o, (IPAddress Address, int Prefix)? address, byte[] mac, IPAddress? gateway)
    {
        using var ns = NetNamespace.Open($"/proc/{pid}/ns/net");
        TapDevice? tap = client is null ? null : TapDevice.CreateIn(ns, "eth0", TapFlags.NoPacketInfo | TapFlags.VnetHeader);
        using (tap)
        {
            NetNamespace.Run(ns, () =>
            {
                Netlink.SetLinkUp("lo");
                if (tap is null) return 0;
                Netlink.SetMac("eth0", mac);
                if (o.Mtu is { } mtu) Netlink.SetMtu("eth0", mtu);
                if (address is { } a) Netlink.AddAddress("eth0", a.Address, a.Prefix);
                Netlink.SetLinkUp("eth0");
                if (gateway is not null) Netlink.AddDefaultRoute(gateway);
                return 0;
            });
            if (tap is null) return;
            try
            {
                client!.AddEtherFd(token, "eth0", nodeId, tap.Handle);
            }
            catch (SwitchException e)
            {
                throw new LaunchException("the switch refused the container's port: " + e.Message);
            }
            attached = true;
        }
    }

    public void AddCtrlSock(SafeFd listener)
    {
        if (client is null) throw new UsageException("-p needs a switch (-s)");
        client.AddCtrlSock(token, nodeId, listener);
    }

    /// <summary>Removes the node's port now rather than when the kernel notices the namespace is gone.</summary>
    public void Dispose()
    {
        if (attached)
        {
            try { client!.RemoveEtherFd(token, nodeId); }
            catch (Exception e) when (e is SwitchException or NativeException) { }
        }
        client?.Dispose();
    }
}
