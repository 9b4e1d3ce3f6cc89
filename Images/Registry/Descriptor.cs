using System.Text.Json;

namespace Mocker.Registry;

/// <summary>An OCI content descriptor: what a manifest says about a blob. Its size bounds the blob's download.</summary>
public sealed record Descriptor(string MediaType, string Digest, long Size)
{
    /// <summary>Reads a descriptor object; throws a FormatException saying which field is wrong.</summary>
    public static Descriptor Read(JsonElement e)
    {
        var digest = JsonFields.Required(e, "digest", JsonValueKind.String).GetString()!;
        if (!References.Digest.IsSha256(digest)) throw new FormatException($"{digest} is not a sha256 digest");
        if (!JsonFields.Required(e, "size", JsonValueKind.Number).TryGetInt64(out var size) || size < 0)
            throw new FormatException($"the \"size\" of {digest} is not a byte count");
        return new Descriptor(JsonFields.OptionalString(e, "mediaType") ?? "", digest, size);
    }
}
