using System.Text.Json;
using Containet.Native;
using Containet.Protocol;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// containode stats [--no-stream] [--json] [NAME...]: what running containers use, as docker stats shows it:
/// CPU over the last second, memory in use and its limit, network in and out from the switch port's counters,
/// block I/O and tasks. Without names, every running container; without --no-stream, a new reading every second
/// until interrupted or until the containers named have all ended.
/// </summary>
public static class StatsCommand
{
    public const string Name = "stats";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private const string Usage = "containode stats [--no-stream] [--json] [NAME...]";

    public static int Run(string[] args)
    {
        bool stream = true, json = false;
        var names = new List<string>();
        foreach (var a in args)
        {
            switch (a)
            {
                case "--no-stream": stream = false; break;
                case "--json": json = true; break;
                case "-h" or "--help":
                    Posix.WriteOutput($"{Usage}\n  --no-stream  one reading, then exit\n  --json       one JSON object per container and reading");
                    return 0;
                default:
                    if (a.StartsWith('-')) throw new UsageException($"unknown option {a} ({Usage})");
                    names.Add(a);
                    break;
            }
        }
        foreach (var n in names)
            if (StatsSources.Read(n) is null) throw new LaunchException($"no container named {n} is running");

        var watched = names.Count > 0 ? names : null;
        var before = Sample(watched ?? StatsSources.Running());
        while (true)
        {
            Thread.Sleep(Interval);
            var after = Sample(watched ?? StatsSources.Running());
            var rows = after.Select(a => Row(a, before.GetValueOrDefault(a.Key))).ToList();
            if (json) foreach (var r in rows) Posix.WriteOutput(StatsReport.Json(r));
            else Posix.WriteOutput((stream && !Console.IsOutputRedirected ? "\x1b[H\x1b[2J" : "") + StatsReport.Table(rows));
            if (!stream || (watched is not null && after.Count == 0)) return 0;
            before = after;
        }
    }

    private sealed record Reading(StatsSources Sources, CgroupUsage Usage, long Ticks, (long In, long Out)? Net);

    private static Dictionary<string, Reading> Sample(IEnumerable<string> names)
    {
        var readings = new Dictionary<string, Reading>();
        foreach (var name in names)
            if (StatsSources.Read(name) is { } sources)
                readings[name] = new Reading(sources, CgroupStats.Read(sources.Cgroups), Environment.TickCount64, Network(sources));
        return readings;
    }

    private static StatsRow Row(KeyValuePair<string, Reading> now, Reading? before) =>
        new(now.Key, CgroupStats.CpuPercent(before?.Usage.CpuNanoseconds, now.Value.Usage.CpuNanoseconds, TimeSpan.FromMilliseconds(now.Value.Ticks - (before?.Ticks ?? now.Value.Ticks))),
            now.Value.Usage, now.Value.Net?.In, now.Value.Net?.Out);

    /// <summary>
    /// The container's traffic from its switch ports (list-ports): what the switch sent to it is its input,
    /// what it received from it its output. Null without a switch, or when the switch does not answer.
    /// </summary>
    private static (long In, long Out)? Network(StatsSources sources)
    {
        if (sources.Switch is null) return null;
        try
        {
            using var client = SwitchClient.Connect(sources.Switch);
            using var reply = client.Query(new SwitchRequest.ListPorts(null));
            long input = 0, output = 0;
            foreach (var port in reply.RootElement.GetProperty("ports").EnumerateArray())
            {
                if (port.GetProperty("nodeid").GetString() != sources.Identity) continue;
                input += port.GetProperty("bytes_out").GetInt64();
                output += port.GetProperty("bytes_in").GetInt64();
            }
            return (input, output);
        }
        catch (Exception e) when (e is NativeException or SwitchException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
