using Containet.Native;
using System.Buffers;
using System.Text.Json;
using Containet.Protocol;
using Containet.Restart;

namespace Containet.Network;

/// <summary>
/// The leases of one network, kept in /var/lib/containet/networks/HOSTPORT.json so that a restarted switch
/// hands out no address a running container still has. Written whole to a temp file and renamed over the old one.
/// </summary>
public static class LeaseFile
{
    public static void Save(string path, IEnumerable<Lease> leases)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("leases");
            foreach (var l in leases)
            {
                w.WriteStartObject();
                w.WriteString("nodeid", l.NodeId);
                w.WriteString("ipv4", Ipv4Network.ToAddress(l.Address).ToString());
                l.Launcher?.WriteTo(w);
                w.WriteStartArray("published");
                foreach (var p in l.Published) p.Write(w);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        StateFile.Replace(path, buffer.WrittenSpan, (UnixFileMode)Mode.O644);
    }

    /// <summary>The leases the file lists; none if there is no file. Throws <see cref="InvalidDataException"/> for a file that is not one.</summary>
    public static List<Lease> Load(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var leases = new List<Lease>();
            foreach (var l in doc.RootElement.GetProperty("leases").EnumerateArray())
            {
                var launcher = ProcessIdentity.ReadFrom(l);
                var node = l.GetProperty("nodeid").GetString()!;
                if (!Names.IsNodeId(node)) throw new FormatException($"bad node id '{node}'");
                var address = Native.Addressing.TryParseIPv4(l.GetProperty("ipv4").GetString()!) ?? throw new FormatException("bad ipv4");
                leases.Add(new Lease(node, Ipv4Network.ToUInt(new System.Net.IPAddress(address)), launcher,
                    [.. l.GetProperty("published").EnumerateArray().Select(PortMapping.Read)]));
            }
            return leases;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ControlProtocolException)
        {
            throw new InvalidDataException($"{path} is not a containet lease file: {e.Message}");
        }
    }
}
