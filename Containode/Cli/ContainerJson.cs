using System.Text;
using System.Text.Json;

namespace Containode.Cli;

/// <summary>inspect: a container's state and configuration as JSON (and the status object ps --json shares).</summary>
public static class ContainerJson
{
    public static void WriteStatus(Utf8JsonWriter w, ContainerStatus s)
    {
        w.WriteString("status", s.State.ToString().ToLowerInvariant());
        if (s.Pid is { } pid) w.WriteNumber("pid", pid);
        if (s.State == ContainerStatus.Phase.Exited)
        {
            if (s.ExitCode is { } code) w.WriteNumber("exitCode", code);
            else w.WriteNull("exitCode");
            // docker's State.OOMKilled.
            w.WriteBoolean("oomKilled", s.OomKilled);
        }
        if (s.Finished is { } f) w.WriteString("finished", f);
    }

    /// <summary>docker's NetworkSettings: eth0's IPv4 address, its prefix length and the gateway (empty without).</summary>
    private static void WriteNetwork(Utf8JsonWriter w, ContainerRecord r)
    {
        var (address, gateway) = r.Network();
        var cidr = address?.Split('/');
        w.WriteStartObject("networkSettings");
        w.WriteString("ipAddress", cidr?[0] ?? "");
        w.WriteNumber("ipPrefixLen", cidr is [_, var prefix] && int.TryParse(prefix, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0);
        w.WriteString("gateway", gateway ?? "");
        w.WriteEndObject();
    }

    public static int Inspect(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a container to inspect");
        var records = parsed.Operands.Select(Containers.Store.Resolve).ToList();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in records) Write(w, r);
            w.WriteEndArray();
        }
        Containet.Native.Posix.WriteOutput(Encoding.UTF8.GetString(buffer.ToArray()));
        return 0;
    }

    private static void Write(Utf8JsonWriter w, ContainerRecord r)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("name", r.Name);
        w.WriteString("created", r.Created);
        if (r.Started is { } started) w.WriteString("started", started);
        w.WriteNumber("restarts", r.Restarts);
        w.WriteStartObject("state");
        WriteStatus(w, r.Status());
        w.WriteEndObject();
        WriteNetwork(w, r);
        w.WriteStartObject("config");
        foreach (var option in SpecOptions.All)
        {
            var values = option.Get(r.Spec).ToList();
            if (values.Count == 0) continue;
            if (option.IsFlag) w.WriteBoolean(option.Key, true);
            else if (!option.Repeatable)
                w.WriteString(option.Key, values[0]);
            else
            {
                w.WriteStartArray(option.Key);
                foreach (var v in values) w.WriteStringValue(v);
                w.WriteEndArray();
            }
        }
        w.WriteEndObject();
        w.WriteStartObject("paths");
        w.WriteString("state", r.Lib);
        w.WriteString("run", r.Run);
        w.WriteString("top", LaunchTarget.TopOf(r, r.Spec.Root ?? r.Spec.Image));
        w.WriteString("log", r.LogFile);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
