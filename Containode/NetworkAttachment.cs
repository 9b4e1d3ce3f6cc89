using System.Net;
using Containet.Native;

namespace Containode;

/// <summary>
/// The container's network. containode makes the network namespace itself, before the clone, and the child
/// joins it; so the slow part, opening eth0's TAP here and moving it into that namespace (the kernel waits
/// for an RCU grace period), runs while the child is being cloned and mounted. The TAP is opened on this
/// side so it dies with the namespace, and the switch port with it, however containode ends.
/// </summary>
public sealed class NetworkAttachment : IDisposable
{
    private readonly SwitchClient? client;
    private readonly string token;
    private readonly string nodeId;
    private SafeFd? ns;
    private Task<TapDevice>? plugging;
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

    /// <summary>
    /// With a switch: makes the namespace, starts plugging eth0 into it in the background, and returns it for
    /// the child to join. Without one there is nothing to plug: null, and the child clones its own namespace.
    /// </summary>
    public SafeFd? Prepare(LaunchOptions o, (IPAddress Address, int Prefix)? address, byte[] mac, IPAddress? gateway)
    {
        if (client is null) return null;
        ns = NetNamespace.CreateNew();
        var nsFd = ns;
        plugging = Task.Run(() =>
        {
            var tap = TapDevice.CreateIn(nsFd, "eth0", TapFlags.NoPacketInfo | TapFlags.VnetHeader);
            try
            {
                NetNamespace.Run(nsFd, () =>
                {
                    Netlink.SetMac("eth0", mac);
                    if (o.Mtu is { } mtu) Netlink.SetMtu("eth0", mtu);
                    if (address is { } a) Netlink.AddAddress("eth0", a.Address, a.Prefix);
                    Netlink.SetLinkUp("eth0");
                    if (gateway is not null) Netlink.AddDefaultRoute(gateway);
                    return 0;
                });
                return tap;
            }
            catch
            {
                tap.Dispose();
                throw;
            }
        });
        return nsFd;
    }

    /// <summary>Waits for the namespace's configuration and hands eth0 to the switch.</summary>
    public void Plug()
    {
        using var tap = plugging?.GetAwaiter().GetResult();
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
        try { plugging?.Wait(); }
        catch (AggregateException) { }
        client?.Dispose();
        ns?.Dispose();
    }
}
