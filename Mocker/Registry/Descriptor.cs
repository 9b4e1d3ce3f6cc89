using System.Text.Json;

namespace Mocker.Registry;

/// <summary>An OCI content descriptor: what a manifest says about a blob.</summary>
public sealed record Descriptor(string MediaType, string Digest, long Size)
{
    public static Descriptor Read(JsonElement e) => new(
        e.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "",
        e.GetProperty("digest").GetString() ?? throw new FormatException("descriptor without digest"),
        e.TryGetProperty("size", out var s) ? s.GetInt64() : -1);

    public string Hex => Digest.StartsWith("sha256:", StringComparison.Ordinal) && Digest.Length == 71
        ? Digest[7..]
        : throw new FormatException($"unsupported digest {Digest}: only sha256 is accepted");
}
