using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mocker.Store;

/// <summary>One stored image: the reference it was pulled as and what it resolved to.</summary>
public sealed record ImageRecord(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("manifest")] string Manifest,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("layers")] IReadOnlyList<string> Layers,
    [property: JsonPropertyName("config")] string Config);

[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(List<ImageRecord>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ImageJson : JsonSerializerContext;

/// <summary>The index of references: refs/NAME.json, each written atomically.</summary>
public sealed class ImageIndex(BlobStore store)
{
    private string Dir => Path.Combine(store.Root, "refs");

    public void Save(ImageRecord record)
    {
        var path = Path.Combine(Dir, FileName(record.Reference));
        var temp = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, JsonSerializer.Serialize(record, ImageJson.Default.ImageRecord));
        File.Move(temp, path, overwrite: true);
    }

    public ImageRecord? Find(string reference)
    {
        var path = Path.Combine(Dir, FileName(reference));
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), ImageJson.Default.ImageRecord) : null;
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
            if (JsonSerializer.Deserialize(File.ReadAllText(f), ImageJson.Default.ImageRecord) is { } r) list.Add(r);
        return list.OrderBy(r => r.Reference, StringComparer.Ordinal).ToList();
    }

    private static string FileName(string reference) => Uri.EscapeDataString(reference).Replace("%", "_", StringComparison.Ordinal) + ".json";
}
