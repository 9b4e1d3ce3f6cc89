using System.CommandLine;
using System.Text.Json;
using Containet.Protocol;

namespace Containet.Cli;

/// <summary>`containet ports`, `macs`, `leases` and `network`: what the switch holds, as a table or JSON.</summary>
internal static class ListCommands
{
    public static Command Ports(Option<string> socket, Option<string?> tokenFile) =>
        Create("ports", "list the switch's ports with their addresses and counters", t => new SwitchRequest.ListPorts(t), socket, tokenFile, reply =>
            Table.Write(Console.Out, ["NODE", "IFNAME", "DEVICE", "FRAMING", "ADDRESS", "FRAMES IN", "BYTES IN", "FRAMES OUT", "BYTES OUT", "DROPS", "ERRORS"],
                [.. Items(reply, "ports", PortEntry.Read).Select(p => (string[])[p.NodeId, p.IfName, p.Device, p.Framing, p.Ipv4 ?? "-",
                    Number(p.FramesIn), Number(p.BytesIn), Number(p.FramesOut), Number(p.BytesOut), Number(p.Drops), Number(p.Errors)])]));

    public static Command Macs(Option<string> socket, Option<string?> tokenFile) =>
        Create("macs", "list the learned MAC addresses", t => new SwitchRequest.ListMacs(t), socket, tokenFile, reply =>
            Table.Write(Console.Out, ["MAC", "NODE", "IFNAME", "AGE"],
                [.. Items(reply, "macs", MacEntry.Read).Select(m => (string[])[m.Mac, m.NodeId, m.IfName, $"{m.AgeMs / 1000.0:0.0}s"])]));

    public static Command Leases(Option<string> socket, Option<string?> tokenFile) =>
        Create("leases", "list the addresses the switch gave out or reserved (--subnet)", t => new SwitchRequest.ListLeases(t), socket, tokenFile, reply =>
            WriteLeases(Items(reply, "leases", LeaseEntry.Read)));

    public static Command Network(Option<string> socket, Option<string?> tokenFile) =>
        Create("network", "show the switch's subnet, gateway, NAT and published ports", t => new SwitchRequest.ShowNetwork(t), socket, tokenFile, reply =>
        {
            var n = NetworkInfo.Read(reply);
            if (n.Subnet is null)
            {
                Console.Out.WriteLine("no network: the switch was started without --subnet");
                return;
            }
            Console.Out.WriteLine($"subnet:    {n.Subnet}");
            Console.Out.WriteLine($"gateway:   {n.Gateway} on {n.HostPort}");
            Console.Out.WriteLine($"pool:      {n.Range}");
            Console.Out.WriteLine($"nat:       {(n.Nat ? "on" : "off")}");
            Console.Out.WriteLine($"dns:       {n.Dns}");
            Console.Out.WriteLine($"leases:    {n.Leases.Count}");
            var published = n.Leases.SelectMany(l => l.Published.Select(p => (string[])[p.HostAddress?.ToString() ?? "*", $"{p.HostPort}/{p.Protocol}", $"{l.Address}:{p.ContainerPort}", l.NodeId])).ToList();
            if (published.Count == 0) return;
            Console.Out.WriteLine();
            Table.Write(Console.Out, ["HOST ADDRESS", "HOST PORT", "TO", "NODE"], published);
        });

    private static void WriteLeases(IEnumerable<LeaseEntry> leases) =>
        Table.Write(Console.Out, ["NODE", "ADDRESS", "LAUNCHER", "ATTACHED", "PUBLISHED"],
            [.. leases.Select(l => (string[])[l.NodeId, l.Address.ToString(), l.Launcher?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                l.Attached ? "yes" : "no", l.Published.Count == 0 ? "-" : string.Join(", ", l.Published)])]);

    private static Command Create(string name, string description, Func<string?, SwitchRequest> request, Option<string> socket, Option<string?> tokenFile,
        Action<JsonElement> print)
    {
        var json = CommonOptions.Json();
        var command = new Command(name, description) { json };
        command.SetAction(r =>
        {
            using var client = SwitchConnection.Open(r.GetValue(socket)!);
            using var reply = client.Query(request(CommonOptions.ReadToken(r.GetValue(tokenFile))));
            if (r.GetValue(json)) Console.Out.WriteLine(reply.RootElement.GetRawText());
            else print(reply.RootElement);
            return 0;
        });
        return command;
    }

    private static IEnumerable<T> Items<T>(JsonElement reply, string key, Func<JsonElement, T> read) => reply.GetProperty(key).EnumerateArray().Select(read);

    private static string Number(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
