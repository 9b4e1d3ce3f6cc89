using System.CommandLine;
using System.Text.Json;

namespace Containet.Cli;

/// <summary>`containet ports` and `containet macs`: what the switch holds, as a table or JSON.</summary>
internal static class ListCommands
{
    public static Command Ports() => Create("ports", "list-ports", "ports", "list the switch's ports with their counters",
        ["NODE", "IFNAME", "DEVICE", "FRAMING", "FRAMES IN", "BYTES IN", "FRAMES OUT", "BYTES OUT", "DROPS", "ERRORS"],
        ["nodeid", "ifname", "device", "framing", "frames_in", "bytes_in", "frames_out", "bytes_out", "drops", "errors"]);

    public static Command Macs() => Create("macs", "list-macs", "macs", "list the learned MAC addresses",
        ["MAC", "NODE", "IFNAME", "AGE"], ["mac", "nodeid", "ifname", "age_ms"]);

    private static Command Create(string name, string request, string key, string description, string[] headers, string[] fields)
    {
        var socket = CommonOptions.Socket();
        var json = CommonOptions.Json();
        var tokenFile = CommonOptions.TokenFile();
        var command = new Command(name, description) { socket, json, tokenFile };
        command.SetAction(r =>
        {
            using var client = SwitchConnection.Open(r.GetValue(socket)!);
            using var reply = client.Query(request, CommonOptions.ReadToken(r.GetValue(tokenFile)));
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(reply.RootElement.GetRawText());
                return 0;
            }
            var rows = new List<string[]>();
            foreach (var item in reply.RootElement.GetProperty(key).EnumerateArray())
                rows.Add(Array.ConvertAll(fields, f => Cell(item, f)));
            Table.Write(Console.Out, headers, rows);
            return 0;
        });
        return command;
    }

    private static string Cell(JsonElement item, string field)
    {
        var value = item.GetProperty(field);
        if (field == "age_ms") return $"{value.GetInt64() / 1000.0:0.0}s";
        return value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString() ?? "";
    }
}
