using System.Text.Json;
using Mocker.References;

namespace Mocker.Registry;

/// <summary>An image manifest (config and layers) or an index (per-platform manifests), verified bytes kept.</summary>
public sealed class Manifest
{
    public required string MediaType { get; init; }
    public required string Digest { get; init; }
    public required byte[] Bytes { get; init; }
    public Descriptor? Config { get; init; }
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];
    public IReadOnlyList<(Descriptor Descriptor, string Os, string Architecture, string? Variant)> Platforms { get; init; } = [];

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>Reads a manifest or index of <paramref name="reference"/>; anything else is a RegistryException saying what is wrong.</summary>
    public static Manifest Parse(byte[] bytes, string? contentType, string digest, string reference)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return Read(doc.RootElement, bytes, contentType, digest);
        }
        catch (JsonException e)
        {
            throw new RegistryException($"the manifest of {reference} is not JSON: {e.Message}");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new RegistryException($"the manifest of {reference} cannot be read: {e.Message}");
        }
    }

    private static Manifest Read(JsonElement root, byte[] bytes, string? contentType, string digest)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("it is not a JSON object");
        var type = JsonFields.OptionalString(root, "mediaType") is { Length: > 0 } t ? t : contentType ?? "";
        if (root.TryGetProperty("schemaVersion", out _) && JsonFields.Required(root, "schemaVersion", JsonValueKind.Number).GetDouble() == 1)
            throw new RegistryException("the registry sent a schema 1 manifest, which mocker does not support");
        if (root.TryGetProperty("manifests", out _))
        {
            var platforms = new List<(Descriptor, string, string, string?)>();
            foreach (var e in JsonFields.Objects(root, "manifests"))
            {
                var p = e.TryGetProperty("platform", out _) ? JsonFields.Required(e, "platform", JsonValueKind.Object) : default;
                string? Field(string name) => p.ValueKind == JsonValueKind.Object ? JsonFields.OptionalString(p, name) : null;
                platforms.Add((Descriptor.Read(e), Field("os") ?? "", Field("architecture") ?? "", Field("variant")));
            }
            return new Manifest { MediaType = MediaTypes.IsIndex(type) ? type : MediaTypes.OciIndex, Digest = digest, Bytes = bytes, Platforms = platforms };
        }
        if (!root.TryGetProperty("config", out _) && !root.TryGetProperty("layers", out _))
            throw new FormatException("it is neither an image manifest (config and layers) nor an index (manifests)");
        var config = Descriptor.Read(JsonFields.Required(root, "config", JsonValueKind.Object));
        var layers = JsonFields.Objects(root, "layers").Select(Descriptor.Read).ToList();
        return new Manifest { MediaType = type, Digest = digest, Bytes = bytes, Config = config, Layers = layers };
    }

    /// <summary>The index entry for a platform; a missing one is an error listing what there is.</summary>
    public Descriptor Select(Platform platform)
    {
        foreach (var (d, os, arch, variant) in Platforms)
            if (platform.Matches(os, arch, variant)) return d;
        var available = string.Join(", ", Platforms.Select(p => $"{p.Os}/{p.Architecture}{(p.Variant is null ? "" : "/" + p.Variant)}"));
        throw new RegistryException($"no image for platform {platform}; the image has: {available}");
    }
}
