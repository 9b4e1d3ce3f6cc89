using Containet.Native;
using Containet.Protocol;

namespace Containode;

/// <summary>
/// The container's network: a namespace the child joins instead of cloning one, with eth0 in it. containode
/// first asks the switch for one it prepared ahead of time (take-netns): eth0 is already a port, the switch
/// configures it, and the port ends when containode's connection closes, however containode ends. From a
/// switch without that, containode opens the TAP itself outside the namespace and moves it in (which makes
/// the kernel wait for an RCU grace period) while the child is being cloned; that TAP dies with
/// the namespace, and the port with it. From the original C switch, which answers take-netns with a bare {}, the
/// TAP is framed as the original client framed it (packet information, no virtio-net header, MTU 64000).
/// With a switch that has a network, the reply gives the container its address, route and nameserver, and the
/// ports it publishes are asked for once its namespace is there. A user other than root can neither open a TAP nor
/// join the switch's namespaces (they are the host's user namespace's): the container clones its own network
/// namespace with its user namespace, and containode hands that to the switch (add-netns), which makes eth0 inside.
/// </summary>
public sealed class NetworkAttachment : IDisposable
{
    private readonly SwitchClient? client;
    private readonly string token;
    private readonly string nodeId;
    private readonly InterfaceConfig config;
    private readonly IReadOnlyList<PortMapping> publish;
    private readonly bool givesNamespace = !Posix.IsRoot;
    private SafeFd? ns;
    private Task<TapDevice?>? plugging;
    private bool attached;
    private bool asked;

    /// <summary>
    /// Connects and asks for a namespace at once: the switch prepares it while containode plans the container.
    /// Without a token of the user's, the container gets a random one, kept for its exit steps: a neighbour that
    /// knows its identity cannot unplug it.
    /// </summary>
    public NetworkAttachment(string? socket, string? token, string nodeId, InterfaceConfig config, IReadOnlyList<PortMapping>? publish = null)
    {
        this.token = token ?? RandomToken();
        this.nodeId = nodeId;
        this.config = config;
        this.publish = publish ?? [];
        if (socket is null)
        {
            if (this.publish.Count > 0) throw new UsageException("--publish needs a switch (-s)");
            return;
        }
        try
        {
            client = SwitchClient.Connect(socket);
            if (givesNamespace) return;
            client.SendTakeNetns(this.token, "eth0", nodeId, config);
            asked = true;
        }
        catch (NativeException e) when (SwitchUnreachable.Advice(e, socket) is { } advice)
        {
            client?.Dispose();
            throw new LaunchException(advice);
        }
    }

    private static string RandomToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        Posix.FillRandom(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The MTU the original switch's client gave its TAPs, and which its 64 KB buffers expect.</summary>
    public const int OriginalMtu = 64000;

    /// <summary>Whether the namespace came from the switch, with lo already up.</summary>
    public bool FromSwitch { get; private set; }

    /// <summary>What the switch set up in the namespace it handed out: eth0's address, route and nameserver.</summary>
    public NetnsGrant? Grant { get; private set; }

    /// <summary>
    /// With a switch: a namespace for the child to join, with eth0 in it set up as asked.
    /// The switch's own (take-netns) comes configured; otherwise one is made here and eth0 is plugged and
    /// configured in the background. Without a switch there is nothing to plug: null, and the child clones its own.
    /// </summary>
    public SafeFd? Prepare()
    {
        if (client is null || givesNamespace) return null;
        asked = false;
        TakenNetns? taken;
        try
        {
            taken = client.ReceiveNetns();
        }
        catch (SwitchException e) when (e.Code == ErrorCodes.Unsupported)
        {
            taken = null; // its pool is off: the namespace and the port are made here
        }
        catch (SwitchException e)
        {
            throw new LaunchException("the switch refused the container's network: " + e.Message);
        }
        if (taken is not null)
        {
            ns = taken.Namespace;
            Grant = taken.Grant;
            attached = FromSwitch = true;
            if (publish.Count > 0) Publish();
            return ns;
        }
        if (publish.Count > 0) throw new LaunchException("--publish needs a switch that hands out namespaces, started with --subnet and --nat");
        var original = client.Dialect == SwitchDialect.Original;
        try
        {
            client.CheckSendable(new SwitchRequest.AddEtherFd(token, "eth0", nodeId));
        }
        catch (SwitchException e)
        {
            throw new LaunchException(e.Message);
        }
        var flags = original ? TapFlags.None : TapFlags.NoPacketInfo | TapFlags.VnetHeader;
        var setup = original && config.Mtu is null ? config with { Mtu = OriginalMtu } : config;
        var nsFd = ns = NetNamespace.CreateNew();
        var done = new TaskCompletionSource<TapDevice?>(TaskCreationOptions.RunContinuationsAsynchronously);
        plugging = done.Task;
        // One thread of its own: it opens the TAP out here, then enters the namespace to configure eth0 and
        // ends, so no pooled thread is ever left in the container's namespace.
        new Thread(() =>
        {
            TapDevice? tap = null;
            try
            {
                tap = TapDevice.CreateIn(nsFd, "eth0", flags);
                NetNamespace.Enter(nsFd);
                setup.Apply("eth0");
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

    private void Publish()
    {
        try
        {
            client!.Publish(token, nodeId, publish);
        }
        catch (SwitchException e)
        {
            throw new LaunchException("cannot publish the container's ports: " + e.Message);
        }
    }

    /// <summary>
    /// Waits for the namespace's configuration and hands eth0 to the switch; for a user, hands the namespace of the
    /// container <paramref name="pid"/> to the switch to make eth0 in.
    /// </summary>
    public void Plug(int pid)
    {
        if (givesNamespace)
        {
            if (client is not null) GiveNamespace(pid);
            return;
        }
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

    private void GiveNamespace(int pid)
    {
        try
        {
            using var own = NetNamespace.Open($"/proc/{pid}/ns/net");
            Grant = client!.AddNetns(token, "eth0", nodeId, config, own);
        }
        catch (SwitchException e)
        {
            throw new LaunchException("the switch refused the container's network: " + e.Message);
        }
        attached = true;
        if (publish.Count > 0) Publish();
    }

    public void AddCtrlSock(SafeFd listener)
    {
        if (client is null) throw new UsageException("-p needs a switch (-s)");
        client.AddCtrlSock(token, nodeId, listener);
    }

    /// <summary>
    /// The port's removal, for the container's clean-up: now, rather than when the switch notices the namespace is
    /// gone. A namespace asked for but not yet received (the launch failed before it was used: TOP in use, say) is
    /// received first, so that its port goes too.
    /// </summary>
    public void AddExitSteps(ExitSteps steps)
    {
        if (asked)
        {
            asked = false;
            try
            {
                using var taken = client!.ReceiveNetns()?.Namespace;
                attached = taken is not null;
            }
            catch (Exception e) when (e is SwitchException or NativeException) { }
        }
        if (attached) client!.RemoveEtherFdAtExit(steps, token, nodeId);
    }

    /// <summary>Lets go of what the launcher held; the port's removal is the clean-up's (<see cref="AddExitSteps"/>).</summary>
    public void Dispose()
    {
        try { plugging?.Wait(); }
        catch (AggregateException) { }
        client?.Dispose();
        ns?.Dispose();
    }
}
