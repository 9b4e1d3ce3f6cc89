using System.Text.Json;

namespace Mocker.Store;

/// <summary>One stored image: the reference it was pulled as and what it resolved to.</summary>
public sealed record ImageRecord(string Reference, string Digest, string Manifest, string Platform, long Size,
    DateTimeOffset Created, IReadOnlyList<string> Layers, string Config)
{
    // Written and read field by field: eight fields need no serializer, and a native build has no reflection-based one.
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("reference", Reference);
        w.WriteString("digest", Digest);
        w.WriteString("manifest", Manifest);
        w.WriteString("platform", Platform);
        w.WriteNumber("size", Size);
        w.WriteString("created", Created);
        w.WriteStartArray("layers");
        foreach (var layer in Layers) w.WriteStringValue(layer);
        w.WriteEndArray();
        w.WriteString("config", Config);
        w.WriteEndObject();
    }

    /// <summary>Reads a record; throws <see cref="JsonException"/> (or one of its causes) when a field is missing or of the wrong kind.</summary>
    public static ImageRecord Read(JsonElement e) => new(
        e.GetProperty("reference").GetString()!, e.GetProperty("digest").GetString()!, e.GetProperty("manifest").GetString()!,
        e.GetProperty("platform").GetString()!, e.GetProperty("size").GetInt64(), e.GetProperty("created").GetDateTimeOffset(),
        e.GetProperty("layers").EnumerateArray().Select(l => l.GetString()!).ToList(), e.GetProperty("config").GetString()!);

    public static byte[] ToJson(IEnumerable<ImageRecord> records, bool array)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            if (array) w.WriteStartArray();
            foreach (var r in records) r.WriteTo(w);
            if (array) w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The index of references: refs/NAME.json, each written atomically.</summary>
public sealed class ImageIndex(BlobStore store)
{
    private string Dir => Path.Combine(store.Root, "refs");

    public void Save(ImageRecord record)
    {
        var path = Path.Combine(Dir, FileName(record.Reference));
        var temp = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, ImageRecord.ToJson([record], array: false));
        File.Move(temp, path, overwrite: true);
    }

    public ImageRecord? Find(string reference)
    {
        var path = Path.Combine(Dir, FileName(reference));
        return File.Exists(path) ? Load(path) : null;
    }

    public bool Remove(string reference)
    {
        var path = Path.Combine(Dir, FileName(reference));
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    public List<ImageRecord> All()
    {
        var list = new List<ImageRecord>();
        foreach (var f in Directory.EnumerateFiles(Dir, "*.json"))
            list.Add(Load(f));
        return list.OrderBy(r => r.Reference, StringComparer.Ordinal).ToList();
    }

    private static ImageRecord Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return ImageRecord.Read(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"{path} is damaged ({e.Message}): remove it and pull again");
        }
    }

    private static string FileName(string reference) => Uri.EscapeDataString(reference).Replace("%", "_", StringComparison.Ordinal) + ".json";
}
