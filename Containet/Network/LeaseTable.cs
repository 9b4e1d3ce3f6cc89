using Containet.Native;
using Containet.Protocol;
using Containet.Restart;

namespace Containet.Network;

/// <summary>An address held by a node, for as long as its launcher lives or its port lasts, and the ports it publishes.</summary>
public sealed record Lease(string NodeId, uint Address, ProcessIdentity? Launcher, IReadOnlyList<PortMapping> Published);

/// <summary>
/// Which node holds which address of the subnet. A node without an address asked for gets the lowest free one of
/// the pool (--ip-range); one that asks for an address of the subnet reserves it, and an address another node
/// holds, the gateway, or the network's own addresses are refused. Thread-safe.
/// </summary>
public sealed class LeaseTable(NetworkOptions options)
{
    private readonly Dictionary<string, Lease> byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Lease> byAddress = [];
    private readonly uint gateway = Ipv4Network.ToUInt(options.Gateway);

    public Lease Allocate(string node, ProcessIdentity? launcher)
    {
        lock (byNode)
        {
            CheckNew(node);
            var range = options.Range;
            var first = Math.Max(range.Network, options.Subnet.FirstHost);
            var last = Math.Min(range.Broadcast, options.Subnet.LastHost);
            for (var a = first; a <= last && a >= first; a++)
                if (a != gateway && !byAddress.ContainsKey(a)) return Add(new Lease(node, a, launcher, []));
            throw new ControlProtocolException($"no free address left in {range}: end a container (containet leases lists them) or widen --ip-range");
        }
    }

    public Lease Reserve(string node, uint address, ProcessIdentity? launcher)
    {
        var text = Ipv4Network.ToAddress(address);
        lock (byNode)
        {
            CheckNew(node);
            if (address == gateway) throw new ControlProtocolException($"{text} is the gateway's address: ask for another or for none");
            if (address < options.Subnet.FirstHost || address > options.Subnet.LastHost)
                throw new ControlProtocolException($"{text} is not a host address of {options.Subnet}");
            if (byAddress.TryGetValue(address, out var holder))
                throw new ControlProtocolException($"{text} is in use by node {holder.NodeId}: ask for another address, or for none to get a free one");
            return Add(new Lease(node, address, launcher, []));
        }
    }

    private void CheckNew(string node)
    {
        if (byNode.TryGetValue(node, out var held))
            throw new ControlProtocolException($"node {node} already holds {Ipv4Network.ToAddress(held.Address)}: a container of that name still runs (containet detach {node} ends it)");
    }

    private Lease Add(Lease lease)
    {
        byNode[lease.NodeId] = lease;
        byAddress[lease.Address] = lease;
        return lease;
    }

    /// <summary>Puts back a lease a previous switch kept; false if it no longer fits this subnet or clashes.</summary>
    public bool Restore(Lease lease)
    {
        lock (byNode)
        {
            if (!options.Subnet.Contains(lease.Address) || lease.Address == gateway || byNode.ContainsKey(lease.NodeId) || byAddress.ContainsKey(lease.Address))
                return false;
            Add(lease);
            return true;
        }
    }

    public Lease? Release(string node)
    {
        lock (byNode)
        {
            if (!byNode.Remove(node, out var lease)) return null;
            byAddress.Remove(lease.Address);
            return lease;
        }
    }

    public Lease? Find(string node)
    {
        lock (byNode) return byNode.GetValueOrDefault(node);
    }

    /// <summary>The lease of a node named <paramref name="name"/> in any case, as DNS names are compared.</summary>
    public Lease? FindByName(string name)
    {
        lock (byNode)
        {
            if (byNode.TryGetValue(name, out var exact)) return exact;
            foreach (var lease in byNode.Values)
                if (string.Equals(lease.NodeId, name, StringComparison.OrdinalIgnoreCase)) return lease;
            return null;
        }
    }

    public void SetPublished(string node, IReadOnlyList<PortMapping> published)
    {
        lock (byNode)
            if (byNode.TryGetValue(node, out var lease)) Add(lease with { Published = published });
    }

    public Lease[] All
    {
        get { lock (byNode) return [.. byNode.Values.OrderBy(l => l.Address)]; }
    }
}
