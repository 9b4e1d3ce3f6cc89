using System.Net;
using System.Text.Json;

namespace Containet.Protocol;

/// <summary>One port as list-ports shows it; <see cref="Loop"/> is the receive loop that reads it.</summary>
public sealed record PortEntry(string NodeId, string IfName, string Device, string Framing, string? Ipv4,
    long FramesIn, long BytesIn, long FramesOut, long BytesOut, long Drops, long Errors, int? Loop = null)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("nodeid", NodeId);
        w.WriteString("ifname", IfName);
        w.WriteString("device", Device);
        w.WriteString("framing", Framing);
        if (Ipv4 is not null) w.WriteString("ipv4", Ipv4);
        w.WriteNumber("frames_in", FramesIn);
        w.WriteNumber("bytes_in", BytesIn);
        w.WriteNumber("frames_out", FramesOut);
        w.WriteNumber("bytes_out", BytesOut);
        w.WriteNumber("drops", Drops);
        w.WriteNumber("errors", Errors);
        if (Loop is { } loop) w.WriteNumber("loop", loop);
        w.WriteEndObject();
    }

    public static PortEntry Read(JsonElement e) => new(e.GetProperty("nodeid").GetString()!, e.GetProperty("ifname").GetString()!,
        e.GetProperty("device").GetString()!, e.GetProperty("framing").GetString()!, Optional(e, "ipv4"),
        e.GetProperty("frames_in").GetInt64(), e.GetProperty("bytes_in").GetInt64(), e.GetProperty("frames_out").GetInt64(),
        e.GetProperty("bytes_out").GetInt64(), e.GetProperty("drops").GetInt64(), e.GetProperty("errors").GetInt64(),
        e.TryGetProperty("loop", out var loop) && loop.TryGetInt32(out var index) ? index : null);

    internal static string? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}

/// <summary>One learned MAC as list-macs shows it.</summary>
public sealed record MacEntry(string Mac, string NodeId, string IfName, long AgeMs)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("mac", Mac);
        w.WriteString("nodeid", NodeId);
        w.WriteString("ifname", IfName);
        w.WriteNumber("age_ms", AgeMs);
        w.WriteEndObject();
    }

    public static MacEntry Read(JsonElement e) =>
        new(e.GetProperty("mac").GetString()!, e.GetProperty("nodeid").GetString()!, e.GetProperty("ifname").GetString()!, e.GetProperty("age_ms").GetInt64());
}

/// <summary>An address the switch gave or reserved for a node; <see cref="Launcher"/> is the process it lasts for.</summary>
public sealed record LeaseEntry(string NodeId, IPAddress Address, int? Launcher, bool Attached, IReadOnlyList<PortMapping> Published)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("nodeid", NodeId);
        w.WriteString("ipv4", Address.ToString());
        if (Launcher is { } pid) w.WriteNumber("launcher_pid", pid);
        w.WriteBoolean("attached", Attached);
        w.WriteStartArray("published");
        foreach (var p in Published) p.Write(w);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static LeaseEntry Read(JsonElement e) => new(e.GetProperty("nodeid").GetString()!, IPAddress.Parse(e.GetProperty("ipv4").GetString()!),
        e.TryGetProperty("launcher_pid", out var pid) ? pid.GetInt32() : null, e.GetProperty("attached").GetBoolean(),
        [.. e.GetProperty("published").EnumerateArray().Select(PortMapping.Read)]);
}

/// <summary>The switch's network as show-network tells it; all but <see cref="Nat"/> null when it has no subnet.</summary>
public sealed record NetworkInfo(string? Subnet, string? Gateway, string? Range, string? HostPort, bool Nat, string? Dns, IReadOnlyList<LeaseEntry> Leases)
{
    public void Write(Utf8JsonWriter w)
    {
        WriteOptional(w, "subnet", Subnet);
        WriteOptional(w, "gateway", Gateway);
        WriteOptional(w, "range", Range);
        WriteOptional(w, "host_port", HostPort);
        w.WriteBoolean("nat", Nat);
        WriteOptional(w, "dns", Dns);
        w.WriteStartArray("leases");
        foreach (var l in Leases) l.Write(w);
        w.WriteEndArray();
    }

    public static NetworkInfo Read(JsonElement e) => new(PortEntry.Optional(e, "subnet"), PortEntry.Optional(e, "gateway"), PortEntry.Optional(e, "range"),
        PortEntry.Optional(e, "host_port"), e.GetProperty("nat").GetBoolean(), PortEntry.Optional(e, "dns"),
        [.. e.GetProperty("leases").EnumerateArray().Select(LeaseEntry.Read)]);

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
