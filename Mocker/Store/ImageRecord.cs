using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mocker.Store;

/// <summary>One stored image: the reference it was pulled as and what it resolved to.</summary>
public sealed record ImageRecord(string Reference, string Digest, string Manifest, string Platform, long Size,
    DateTimeOffset Created, IReadOnlyList<string> Layers, string Config)
{
    // Written by hand: eight fields need no serializer, and a native build has no reflection-based one.
    private void WriteTo(StringBuilder w, string indent)
    {
        var inner = indent + "  ";
        w.Append("{\n");
        Field(w, inner, "reference", Reference);
        Field(w, inner, "digest", Digest);
        Field(w, inner, "manifest", Manifest);
        Field(w, inner, "platform", Platform);
        w.Append(inner).Append("\"size\": ").Append(Size.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        Field(w, inner, "created", Created.ToString("O", CultureInfo.InvariantCulture));
        w.Append(inner).Append("\"layers\": [");
        for (var i = 0; i < Layers.Count; i++)
            Quote(w.Append(i == 0 ? "\n" : ",\n").Append(inner).Append("  "), Layers[i]);
        w.Append(Layers.Count == 0 ? "],\n" : "\n" + inner + "],\n");
        Quote(w.Append(inner).Append("\"config\": "), Config).Append('\n');
        w.Append(indent).Append('}');
    }

    private static void Field(StringBuilder w, string indent, string name, string value) =>
        Quote(w.Append(indent).Append('"').Append(name).Append("\": "), value).Append(",\n");

    private static StringBuilder Quote(StringBuilder w, string value)
    {
        w.Append('"');
        foreach (var c in value)
        {
            if (c == '"' || c == '\\') w.Append('\\').Append(c);
            else if (c < ' ') w.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else w.Append(c);
        }
        return w.Append('"');
    }

    /// <summary>Reads a record; throws <see cref="JsonException"/> (or one of its causes) when a field is missing or of the wrong kind.</summary>
    public static ImageRecord Read(JsonElement e) => new(
        e.GetProperty("reference").GetString()!, e.GetProperty("digest").GetString()!, e.GetProperty("manifest").GetString()!,
        e.GetProperty("platform").GetString()!, e.GetProperty("size").GetInt64(), e.GetProperty("created").GetDateTimeOffset(),
        e.GetProperty("layers").EnumerateArray().Select(l => l.GetString()!).ToList(), e.GetProperty("config").GetString()!);

    public static byte[] ToJson(IEnumerable<ImageRecord> records, bool array)
    {
        var w = new StringBuilder(1024);
        if (array) w.Append('[');
        var first = true;
        foreach (var r in records)
        {
            if (array) w.Append(first ? "\n  " : ",\n  ");
            r.WriteTo(w, array ? "  " : "");
            first = false;
        }
        if (array) w.Append(first ? "]" : "\n]");
        return Encoding.UTF8.GetBytes(w.ToString());
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
