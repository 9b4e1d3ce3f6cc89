using System.Globalization;
using System.Text;
using System.Text.Json;
using Containet.Native;

namespace Containode.Cli;

/// <summary>ps [-a] [--json]: the containers, running ones only unless -a, as a table or as JSON.</summary>
public static class PsCommand
{
    public static readonly CliOption All = new("--all", 'a', null, "show every container, not only running ones");
    public static readonly CliOption Json = new("--json", null, null, "print JSON, one array of objects");
    public static readonly CliOption Quiet = new("--quiet", 'q', null, "print the IDs only");

    private sealed record Row(ContainerRecord Record, ContainerStatus Status);

    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count > 0) throw new UsageException("ps takes no operands");
        var now = DateTime.UtcNow;
        var rows = Containers.Store.List().Select(r => new Row(r, r.Status()))
            .Where(r => parsed.Has(All) || r.Status.State == ContainerStatus.Phase.Running)
            .OrderByDescending(r => r.Record.Created).ToList();
        if (parsed.Has(Json)) Posix.WriteOutput(ToJson(rows));
        else if (parsed.Has(Quiet)) foreach (var r in rows) Posix.WriteOutput(r.Record.ShortId);
        else Posix.WriteOutput(Table.Render(["ID", "NAME", "IMAGE", "COMMAND", "CREATED", "STATUS", "IPV4", "PID"],
            rows.Select(r => (string[])[r.Record.ShortId, r.Record.Name, Source(r.Record), Quote(Command(r.Record), 30),
                Ago(now - r.Record.Created), Describe(r.Status, now), Address(r.Record), r.Status.Pid?.ToString(CultureInfo.InvariantCulture) ?? ""])));
        return 0;
    }

    /// <summary>"running", "created", "exited (N) 3 minutes ago" or "exited (unknown)".</summary>
    public static string Describe(ContainerStatus s, DateTime now) => s.State switch
    {
        ContainerStatus.Phase.Running => "running",
        ContainerStatus.Phase.Created => "created",
        _ => s.ExitCode is { } code ? $"exited ({code}) {Ago(now - s.Finished!.Value)}" : "exited (unknown)",
    };

    public static string Ago(TimeSpan t) =>
        t.TotalSeconds < 1 ? "just now"
        : t.TotalSeconds < 60 ? Plural((int)t.TotalSeconds, "second")
        : t.TotalMinutes < 60 ? Plural((int)t.TotalMinutes, "minute")
        : t.TotalHours < 48 ? Plural((int)t.TotalHours, "hour")
        : Plural((int)t.TotalDays, "day");

    private static string Plural(int n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")} ago";

    private static string Source(ContainerRecord r) => r.Spec.Image ?? r.Spec.Root ?? "(host)";

    private static string Address(ContainerRecord r) => r.Network().Address ?? "";

    private static string Command(ContainerRecord r) => r.Spec.Command.Count == 0 ? "(image's)" : string.Join(' ', r.Spec.Command);

    private static string Quote(string s, int max) => "\"" + (s.Length > max ? s[..(max - 3)] + "..." : s) + "\"";

    private static string ToJson(List<Row> rows)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var (record, status) in rows)
            {
                w.WriteStartObject();
                w.WriteString("id", record.Id);
                w.WriteString("name", record.Name);
                if (record.Spec.Image is { } image) w.WriteString("image", image);
                if (record.Spec.Root is { } root) w.WriteString("root", root);
                w.WriteStartArray("command");
                foreach (var a in record.Spec.Command) w.WriteStringValue(a);
                w.WriteEndArray();
                w.WriteString("created", record.Created);
                ContainerJson.WriteStatus(w, status);
                if (record.Network().Address is { } a4) w.WriteString("ipv4", a4);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
