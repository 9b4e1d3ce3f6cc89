using System.Buffers;
using System.Text.Json;
using Containet.Native;

namespace Containet.Restart;

/// <summary>A port as a restarted switch needs to know it: where it was, who may remove it, and who launched it.</summary>
/// <param name="Launcher">The process whose take-netns made the port, which the port then outlives no more; null for a port
/// added with add-etherfd, whose fd only the switch held and which cannot come back.</param>
public sealed record KeptPort(string NodeId, string IfName, string? Token, ProcessIdentity? Launcher);

/// <summary>
/// The switch's state file: its ports, written whole to a temp file and renamed over the old one, mode 0600 since
/// it holds tokens. It describes a running system (pins, devices) and lives under /run, so it is not synced to
/// disk: a rename is atomic against the switch dying, which is what it is for.
/// </summary>
public static class StateFile
{
    public static void Save(string path, IEnumerable<KeptPort> ports)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("ports");
            foreach (var p in ports)
            {
                w.WriteStartObject();
                w.WriteString("nodeid", p.NodeId);
                w.WriteString("ifname", p.IfName);
                if (p.Token is not null) w.WriteString("token", p.Token);
                p.Launcher?.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        Replace(path, buffer.WrittenSpan, (UnixFileMode)Mode.O600);
    }

    /// <summary>Writes a file whole: to a temp file beside it, renamed over the old one, so a reader sees the old or the new.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        var temp = path + ".new";
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
            file.Write(bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The ports the file lists; none if there is no file. Throws <see cref="InvalidDataException"/> for a file that is not one.</summary>
    public static List<KeptPort> Load(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var ports = new List<KeptPort>();
            foreach (var p in doc.RootElement.GetProperty("ports").EnumerateArray())
            {
                var launcher = ProcessIdentity.ReadFrom(p);
                var token = p.TryGetProperty("token", out var t) ? t.GetString() : null;
                ports.Add(new KeptPort(p.GetProperty("nodeid").GetString()!, p.GetProperty("ifname").GetString()!, token, launcher));
            }
            return ports;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a containet state file: {e.Message}");
        }
    }
}
