using Containet.Native;
using Containet.Ports;
using Containet.Protocol;
using Containet.Restart;
using Containet.Switching;
using Microsoft.Extensions.Logging;

namespace Containet.Network;

/// <summary>
/// The switch's IPv4 network (--subnet): leases, the host port with the gateway address, NAT and published ports
/// in the switch's own nftables table (--nat), and the DNS responder on the gateway. Everything it sets up lives in
/// the switch's network namespace, and what it changes there is its own: its TAP, its table, ip_forward and its
/// TAP's route_localnet.
/// </summary>
public sealed partial class SwitchNetwork : IDisposable
{
    /// <summary>The node id of the host port; containode identities cannot take it (they start with a letter or digit).</summary>
    public const string HostNode = "@host";

    private readonly NetworkOptions options;
    private readonly FrameSwitch frameSwitch;
    private readonly ILogger logger;
    private readonly LeaseTable leases;
    private readonly string leasePath;
    private readonly SafeFd leaseLock;
    private readonly HostPortReservations reservations = new();
    private readonly Lock gate = new();
    private readonly Timer sweep;
    private DnsResponder? dns;
    private bool natInstalled;

    private SwitchNetwork(NetworkOptions options, FrameSwitch frameSwitch, ILogger logger, SafeFd leaseLock)
    {
        this.options = options;
        this.frameSwitch = frameSwitch;
        this.logger = logger;
        this.leaseLock = leaseLock;
        leases = new LeaseTable(options);
        leasePath = Path.Combine(options.LeaseDirectory, options.HostPort + ".json");
        sweep = new Timer(_ => ReleaseOrphans(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    /// <summary>Takes the network's lease file, plugs in the host port, installs NAT and starts the DNS responder.</summary>
    public static SwitchNetwork Start(NetworkOptions options, FrameSwitch frameSwitch, ILogger logger)
    {
        Directory.CreateDirectory(options.LeaseDirectory);
        var lockPath = Path.Combine(options.LeaseDirectory, options.HostPort + ".lock");
        var leaseLock = Posix.TryLock(lockPath)
            ?? throw new InvalidOperationException($"another switch serves the network {options.HostPort} ({lockPath}): give this one another --host-port");
        var network = new SwitchNetwork(options, frameSwitch, logger, leaseLock);
        try
        {
            network.RestoreLeases();
            network.PlugHostPort();
            if (options.Nat) network.InstallNat();
            network.dns = new DnsResponder(options.Gateway, Resolvers.OfHost().Where(a => !a.Equals(options.Gateway)), network.Lookup, logger);
            network.Save();
            ContainetLog.NetworkUp(logger, options.Subnet.ToString(), options.Gateway.ToString(), options.HostPort, options.Nat);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public NetworkOptions Options => options;

    /// <summary>Leases of launchers that still run come back, with their published ports; the rest are released.</summary>
    private void RestoreLeases()
    {
        List<Lease> last;
        try
        {
            last = LeaseFile.Load(leasePath);
        }
        catch (InvalidDataException e)
        {
            ContainetLog.LeasesUnreadable(logger, e.Message);
            last = [];
        }
        foreach (var lease in last)
        {
            var address = Ipv4Network.ToAddress(lease.Address).ToString();
            if (lease.Launcher is not { IsAlive: true } || !leases.Restore(lease with { Published = [] }))
            {
                ContainetLog.LeaseReleased(logger, lease.NodeId, address, "its launcher is gone or the address is no longer this network's");
                continue;
            }
            ContainetLog.LeaseRestored(logger, lease.NodeId, address);
            if (lease.Published.Count == 0) continue;
            if (!options.Nat) ContainetLog.PublishLost(logger, lease.NodeId, "the switch runs without --nat now");
            else
            {
                try
                {
                    reservations.Reserve(lease.NodeId, lease.Published);
                    leases.SetPublished(lease.NodeId, lease.Published);
                }
                catch (ControlProtocolException e)
                {
                    ContainetLog.PublishLost(logger, lease.NodeId, e.Message);
                }
            }
        }
    }

    private void PlugHostPort()
    {
        TapDevice tap;
        try
        {
            tap = TapDevice.Create(options.HostPort, TapFlags.NoPacketInfo | TapFlags.VnetHeader);
        }
        catch (NativeException e)
        {
            throw new InvalidOperationException($"cannot make the host port {options.HostPort} ({e.Message}): an interface of that name may exist; choose another --host-port");
        }
        try
        {
            Netlink.SetMac(options.HostPort, Addressing.RandomMac());
            Netlink.AddAddress(options.HostPort, options.Gateway, options.Subnet.Prefix);
            Netlink.SetLinkUp(options.HostPort);
        }
        catch
        {
            tap.Dispose();
            throw;
        }
        frameSwitch.AddPort(HostNode, options.HostPort, null, tap);
    }

    private void InstallNat()
    {
        // Per network namespace: these change the switch's namespace only (the host's, when it runs there).
        File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
        File.WriteAllText($"/proc/sys/net/ipv4/conf/{options.HostPort}/route_localnet", "1");
        Nft.Run(NftRuleset.Create(options, PublishedRules()));
        natInstalled = true;
    }

    private IEnumerable<(Lease, PortMapping)> PublishedRules() =>
        leases.All.SelectMany(l => l.Published.Select(p => (l, p)));

    private uint? Lookup(string name) => leases.FindByName(name)?.Address;

    private void Save() => SavedFile.TryWrite(logger, "lease", leasePath, () => LeaseFile.Save(leasePath, leases.All));

    /// <summary>A clean stop: the switch ends every port next, and its containers' eth0 with them, so every lease ends.</summary>
    public void Dispose()
    {
        sweep.Dispose();
        dns?.Dispose();
        lock (gate)
        {
            foreach (var lease in leases.All) leases.Release(lease.NodeId);
            Save();
        }
        reservations.Dispose();
        if (natInstalled)
        {
            try { Nft.Run(NftRuleset.Delete(options.HostPort)); }
            catch (InvalidOperationException e) { ContainetLog.NatNotRemoved(logger, e.Message); }
        }
        leaseLock.Dispose();
    }
}
