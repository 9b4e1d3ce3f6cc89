using System.Text.Json;
using Mocker.References;

namespace Mocker.Registry;

/// <summary>
/// What mocker reads from an image's config: the platform its binaries are for and when it was made. A config
/// mocker cannot read (not JSON, fields missing or of the wrong kind) tells nothing, and is no reason to fail a
/// pull: its bytes still match the digest the manifest gives.
/// </summary>
public sealed record ImageConfig(Platform? Platform, DateTimeOffset Created)
{
    public static ImageConfig Read(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ImageConfig(null, DateTimeOffset.MinValue);
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
            var created = root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetDateTimeOffset(out var t) ? t : DateTimeOffset.MinValue;
            var platform = Text("os") is { } os && Text("architecture") is { } architecture ? new Platform(os, architecture, Text("variant")) : null;
            return new ImageConfig(platform, created);
        }
        catch (JsonException)
        {
            return new ImageConfig(null, DateTimeOffset.MinValue);
        }
    }
}
