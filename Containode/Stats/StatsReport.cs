using Mocker;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Containode.Cgroups;

namespace Containode;

/// <summary>One container's line of <c>containode stats</c>: docker stats' columns, null where nothing counts it.</summary>
public sealed record StatsRow(string Name, double? CpuPercent, CgroupUsage Usage, long? NetIn, long? NetOut)
{
    public double? MemoryPercent => Usage.Memory is { } m && Usage.MemoryLimit is > 0 and var l ? 100.0 * m / l : null;
}

/// <summary>The rows as docker stats prints them, a table with aligned columns, or one JSON object per line (its --format json).</summary>
public static class StatsReport
{
    private static readonly string[] Header = ["NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"];

    public static string Table(IReadOnlyList<StatsRow> rows)
    {
        var cells = new List<string[]> { Header };
        foreach (var r in rows)
            cells.Add([
                r.Name, Percent(r.CpuPercent), $"{Size(r.Usage.Memory)} / {Size(r.Usage.MemoryLimit)}", Percent(r.MemoryPercent),
                $"{Size(r.NetIn)} / {Size(r.NetOut)}", $"{Size(r.Usage.BlockRead)} / {Size(r.Usage.BlockWrite)}",
                r.Usage.Pids?.ToString(CultureInfo.InvariantCulture) ?? "--",
            ]);
        var widths = Enumerable.Range(0, Header.Length).Select(i => cells.Max(c => c[i].Length)).ToArray();
        var s = new StringBuilder();
        foreach (var c in cells)
            s.AppendJoin("   ", c.Select((cell, i) => i == c.Length - 1 ? cell : cell.PadRight(widths[i]))).Append('\n');
        return s.ToString().TrimEnd('\n');
    }

    /// <summary>One object per line; bytes as numbers, and null where the host does not count it.</summary>
    public static string Json(StatsRow r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            Number(w, "cpu_percent", r.CpuPercent is { } cpu ? Math.Round(cpu, 2, MidpointRounding.AwayFromZero) : null);
            Number(w, "memory_usage", r.Usage.Memory);
            Number(w, "memory_limit", r.Usage.MemoryLimit);
            Number(w, "memory_percent", r.MemoryPercent is { } m ? Math.Round(m, 2, MidpointRounding.AwayFromZero) : null);
            Number(w, "net_in", r.NetIn);
            Number(w, "net_out", r.NetOut);
            Number(w, "block_read", r.Usage.BlockRead);
            Number(w, "block_write", r.Usage.BlockWrite);
            Number(w, "pids", r.Usage.Pids);
            Number(w, "oom_kills", r.Usage.OomKills);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "--";

    private static string Size(long? bytes) => bytes is { } b ? ByteSize.Format(b) : "--";
}
