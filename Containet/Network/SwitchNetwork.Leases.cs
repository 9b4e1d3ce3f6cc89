using System.Net;
using Containet.Native;
using Containet.Ports;
using Containet.Protocol;
using Containet.Restart;

namespace Containet.Network;

public sealed partial class SwitchNetwork
{
    /// <summary>
    /// The configuration a take-netns gets: a free address when it asks for none, the one it asks for reserved when
    /// it lies in the subnet, and then the gateway as its default route (unless it names one) and the gateway as
    /// its nameserver. An address outside the subnet is configured as asked, without a lease.
    /// </summary>
    public (InterfaceConfig Config, NetnsGrant Grant) Grant(string node, InterfaceConfig asked, ProcessIdentity? launcher)
    {
        if (node == HostNode) throw new ControlProtocolException($"node {HostNode} is the switch's host port");
        Lease? lease;
        lock (gate)
        {
            lease = asked.Address is not { } a ? leases.Allocate(node, launcher)
                : a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && options.Subnet.Contains(Ipv4Network.ToUInt(a.Address))
                    ? leases.Reserve(node, Ipv4Network.ToUInt(a.Address), launcher)
                    : null;
            if (lease is not null) Save();
        }
        if (lease is null) return (asked, new NetnsGrant(asked.Address, asked.Gateway, null));
        (IPAddress, int) address = (Ipv4Network.ToAddress(lease.Address), options.Subnet.Prefix);
        var gateway = asked.Gateway ?? options.Gateway;
        return (asked with { Address = address, Gateway = gateway }, new NetnsGrant(address, gateway, options.Gateway));
    }

    /// <summary>Publishes ports of a node that holds a lease: held on the host, then DNAT in the switch's table.</summary>
    public void Publish(string node, IReadOnlyList<PortMapping> ports)
    {
        if (!options.Nat) throw new ControlProtocolException("this switch publishes no ports: start it with --nat");
        lock (gate)
        {
            var lease = leases.Find(node) ?? throw new ControlProtocolException($"node {node} has no address of {options.Subnet} to publish ports of");
            if (lease.Published.Count + ports.Count > Limits.MaxPublished)
                throw new ControlProtocolException($"a node publishes at most {Limits.MaxPublished} ports");
            reservations.Reserve(node, ports);
            leases.SetPublished(node, [.. lease.Published, .. ports]);
            try
            {
                Nft.Run(NftRuleset.Published(options.HostPort, PublishedRules()));
            }
            catch
            {
                leases.SetPublished(node, lease.Published);
                reservations.Release(node);
                reservations.Reserve(node, lease.Published);
                throw;
            }
            Save();
        }
        ContainetLog.Published(logger, node, string.Join(", ", ports));
    }

    /// <summary>A port ended: when it was its node's last, the node's lease and published ports end too.</summary>
    public void PortRemoved(Port port)
    {
        foreach (var p in frameSwitch.Ports)
            if (p.NodeId == port.NodeId) return;
        Release(port.NodeId, "its port ended");
    }

    /// <summary>Ends a node's lease and published ports (containet detach, or its last port's end).</summary>
    public void Release(string node, string reason)
    {
        Lease? lease;
        lock (gate)
        {
            lease = leases.Release(node);
            if (lease is null) return;
            reservations.Release(node);
            if (lease.Published.Count > 0)
            {
                try { Nft.Run(NftRuleset.Published(options.HostPort, PublishedRules())); }
                catch (InvalidOperationException e) { ContainetLog.NatNotRemoved(logger, e.Message); }
            }
            Save();
        }
        ContainetLog.LeaseReleased(logger, node, Ipv4Network.ToAddress(lease.Address).ToString(), reason);
    }

    /// <summary>Leases whose node has no port and whose launcher exited (a port that did not survive a restart).</summary>
    private void ReleaseOrphans()
    {
        var attached = frameSwitch.Ports.Select(p => p.NodeId).ToHashSet();
        foreach (var lease in leases.All)
            if (!attached.Contains(lease.NodeId) && lease.Launcher is { IsAlive: false })
                Release(lease.NodeId, "its launcher exited");
    }

    /// <summary>The leased address of a node, as `containet ports` shows it.</summary>
    public string? AddressOf(string node) =>
        leases.Find(node) is { } l ? $"{Ipv4Network.ToAddress(l.Address)}/{options.Subnet.Prefix}"
            : node == HostNode ? $"{options.Gateway}/{options.Subnet.Prefix}" : null;

    public LeaseEntry[] Leases()
    {
        var attached = frameSwitch.Ports.Select(p => p.NodeId).ToHashSet();
        return [.. leases.All.Select(l => new LeaseEntry(l.NodeId, Ipv4Network.ToAddress(l.Address), l.Launcher?.Pid, attached.Contains(l.NodeId), l.Published))];
    }

    public NetworkInfo Info() => new(options.Subnet.ToString(), options.Gateway.ToString(),
        $"{Ipv4Network.ToAddress(Math.Max(options.Range.Network, options.Subnet.FirstHost))}-{Ipv4Network.ToAddress(Math.Min(options.Range.Broadcast, options.Subnet.LastHost))}",
        options.HostPort, options.Nat, options.Gateway.ToString(), Leases());
}
