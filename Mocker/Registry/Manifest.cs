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

    public static Manifest Parse(byte[] bytes, string? contentType, string digest)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var type = root.TryGetProperty("mediaType", out var m) && m.GetString() is { Length: > 0 } t ? t : contentType ?? "";
        if (root.TryGetProperty("schemaVersion", out var v) && v.GetInt32() == 1)
            throw new RegistryException("the registry sent a schema 1 manifest, which mocker does not support");
        if (root.TryGetProperty("manifests", out var list))
        {
            var platforms = new List<(Descriptor, string, string, string?)>();
            foreach (var e in list.EnumerateArray())
            {
                var p = e.TryGetProperty("platform", out var pe) ? pe : default;
                platforms.Add((Descriptor.Read(e),
                    p.ValueKind == JsonValueKind.Object && p.TryGetProperty("os", out var os) ? os.GetString() ?? "" : "",
                    p.ValueKind == JsonValueKind.Object && p.TryGetProperty("architecture", out var a) ? a.GetString() ?? "" : "",
                    p.ValueKind == JsonValueKind.Object && p.TryGetProperty("variant", out var va) ? va.GetString() : null));
            }
            return new Manifest { MediaType = MediaTypes.IsIndex(type) ? type : MediaTypes.OciIndex, Digest = digest, Bytes = bytes, Platforms = platforms };
        }
        var layers = new List<Descriptor>();
        foreach (var e in root.GetProperty("layers").EnumerateArray()) layers.Add(Descriptor.Read(e));
        return new Manifest { MediaType = type, Digest = digest, Bytes = bytes, Config = Descriptor.Read(root.GetProperty("config")), Layers = layers };
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
