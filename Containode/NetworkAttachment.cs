using System.Net;
using Containet.Native;

namespace Containode;

/// <summary>
/// The container's network: a namespace the child joins instead of cloning one, with eth0 in it. Moving a
/// TAP into a namespace makes the kernel wait for an RCU grace period (20-50 ms), so containode first asks
/// the switch for a namespace it prepared ahead of time (take-netns), whose eth0 is already a port. From a
/// switch without that, containode opens the TAP itself and moves it while the child is being cloned. Either
/// way the TAP is opened outside the namespace, so it dies with it, and the port with it, however
/// containode ends.
/// </summary>
public sealed class NetworkAttachment : IDisposable
{
    private readonly SwitchClient? client;
    private readonly string token;
    private readonly string nodeId;
    private SafeFd? ns;
    private Task<TapDevice?>? plugging;
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
        // A switch that keeps namespaces ready hands one over with eth0 already its port: no TAP move here.
        try
        {
            ns = client.TakeNetns(token, "eth0", nodeId);
            attached = true;
        }
        catch (SwitchException)
        {
            ns = null;
        }
        var taken = ns is not null;
        ns ??= NetNamespace.CreateNew();
        var nsFd = ns;
        var done = new TaskCompletionSource<TapDevice?>(TaskCreationOptions.RunContinuationsAsynchronously);
        plugging = done.Task;
        // One thread of its own: it opens the TAP (if any) out here, then enters the namespace to configure
        // eth0 and ends, so no pooled thread is ever left in the container's namespace.
        new Thread(() =>
        {
            TapDevice? tap = null;
            try
            {
                if (!taken) tap = TapDevice.CreateIn(nsFd, "eth0", TapFlags.NoPacketInfo | TapFlags.VnetHeader);
                NetNamespace.Enter(nsFd);
                Netlink.SetMac("eth0", mac);
                if (o.Mtu is { } mtu) Netlink.SetMtu("eth0", mtu);
                if (address is { } a) Netlink.AddAddress("eth0", a.Address, a.Prefix);
                Netlink.SetLinkUp("eth0");
                if (gateway is not null) Netlink.AddDefaultRoute(gateway);
                done.SetResult(tap);
            }
            catch (Exception e)
            {
                tap?.Dispose();
                done.SetException(e);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "eth0" }.Start();
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
