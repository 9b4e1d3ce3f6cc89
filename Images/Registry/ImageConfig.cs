using System.Text.Json;
using Mocker.References;

namespace Mocker.Registry;

/// <summary>
/// What mocker reads from an image's config: the platform its binaries are for and when it was made, and how a
/// container of it runs (config.Entrypoint, Cmd, Env, WorkingDir, User, as docker honours them). A config mocker
/// cannot read (not JSON, fields missing or of the wrong kind) tells nothing, and is no reason to fail a pull: its
/// bytes still match the digest the manifest gives.
/// </summary>
public sealed record ImageConfig(Platform? Platform, DateTimeOffset Created)
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }

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
            var run = root.TryGetProperty("config", out var c2) && c2.ValueKind == JsonValueKind.Object ? c2 : default;
            return new ImageConfig(platform, created)
            {
                Entrypoint = Strings(run, nameof(Entrypoint)),
                Cmd = Strings(run, nameof(Cmd)),
                Env = Strings(run, nameof(Env)),
                WorkingDir = OneString(run, nameof(WorkingDir)),
                User = OneString(run, nameof(User)),
            };
        }
        catch (JsonException)
        {
            return new ImageConfig(null, DateTimeOffset.MinValue);
        }
    }

    private static string? OneString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>An array of strings, or nothing when it is missing, null or holds anything else.</summary>
    private static string[] Strings(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            && a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. a.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}
