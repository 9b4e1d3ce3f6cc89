using System.CommandLine;
using System.Net;
using Containet.Native;

namespace Containet.Cli;

/// <summary>
/// `containet attach`: plugs an existing network namespace into the switch, so that anything with a
/// namespace (ip netns, runc, podman) can join. The TAP is opened here and moved into the namespace, so it
/// dies with the namespace and the switch port with it.
/// </summary>
internal static class AttachCommand
{
    public static Command Create(Option<string> socket)
    {
        var netns = new Option<string>("--netns") { Description = "name (ip netns) or path of the network namespace", Required = true, HelpName = "NAME" };
        var ip = new Option<string>("--ip") { Description = "IPv4 or IPv6 address with prefix length", Required = true, HelpName = "ADDR/MASK" };
        var ifname = new Option<string>("--ifname") { Description = "interface name inside the namespace", DefaultValueFactory = _ => "eth0" };
        var mtu = new Option<int?>("--mtu") { Description = "interface MTU", HelpName = "N" };
        var mac = new Option<string?>("--mac") { Description = "MAC address (default: random, locally administered)", HelpName = "MAC" };
        var gateway = new Option<string?>("--gateway") { Description = "default route via this address", HelpName = "ADDR" };
        var node = new Option<string?>("--nodeid") { Description = "node id on the switch (default: the namespace name)", HelpName = "ID" };
        var token = new Option<string?>("--token", "-a") { Description = "auth token that remove-etherfd must give (default: none, and only the switch's administrators can remove the port)", HelpName = "TOKEN" };
        var noOffload = new Option<bool>("--no-offload") { Description = "plain frames without the virtio-net header (no TSO/checksum offload)" };
        var command = new Command("attach", "create a TAP in an existing network namespace and plug it into the switch")
        {
            netns, ip, ifname, mtu, mac, gateway, node, token, noOffload,
        };
        command.SetAction(r =>
        {
            // Everything typed is checked before the switch is asked or a TAP made, so a typo costs nothing.
            var (address, prefix) = UsageException.Check(() => Addressing.ParseCidr(r.GetValue(ip)!), "--ip");
            var macBytes = r.GetValue(mac) is { } m ? UsageException.Check(() => Addressing.ParseMac(m), "--mac") : Addressing.RandomMac();
            var gw = r.GetValue(gateway) is { } g ? UsageException.Check(() => Addressing.ParseAddress(g), "--gateway") : null;
            var mtuValue = r.GetValue(mtu) is { } n ? UsageException.Check(() => InterfaceLimits.CheckMtu(n), "--mtu") : (int?)null;
            var ns = r.GetValue(netns)!;
            var name = UsageException.Check(() => InterfaceLimits.CheckName(r.GetValue(ifname)!), "--ifname");
            var nodeId = r.GetValue(node) ?? Path.GetFileName(ns);
            var flags = TapFlags.NoPacketInfo | (r.GetValue(noOffload) ? TapFlags.None : TapFlags.VnetHeader);
            using var client = SwitchConnection.Open(r.GetValue(socket)!);
            using var nsFd = OpenNamespace(ns);
            using var tap = TapDevice.CreateIn(nsFd, name, flags);
            NetNamespace.Run(nsFd, () =>
            {
                Netlink.SetLinkUp("lo");
                Netlink.SetMac(name, macBytes);
                if (mtuValue is { } n) Netlink.SetMtu(name, n);
                Netlink.AddAddress(name, address, prefix);
                Netlink.SetLinkUp(name);
                if (gw is not null) Netlink.AddDefaultRoute(gw);
                return 0;
            });
            client.AddEtherFd(r.GetValue(token), name, nodeId, tap.Handle);
            Console.Error.WriteLine($"containet: {ns}/{name} ({address}/{prefix}) attached as node {nodeId}");
            return 0;
        });
        return command;
    }

    private static SafeFd OpenNamespace(string ns)
    {
        try
        {
            return NetNamespace.Open(ns);
        }
        catch (NativeException e) when (e.Errno == Errno.ENOENT)
        {
            throw new InvalidOperationException($"no network namespace {ns}: create it with `ip netns add {ns}`");
        }
    }
}
