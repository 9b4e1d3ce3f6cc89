using System.IO.Compression;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker.Extraction;

/// <summary>
/// Builds an image's root filesystem as one flattened tree, rootfs/MANIFEST-HEX, the single lower dir
/// containode -r takes. It is built beside its final place and renamed in, so a failed unpack leaves nothing.
/// Each layer is held to its <see cref="UnpackLimit"/> and to the store's disk space as it unpacks. A user's tree gets
/// the image's owners in their subordinate ids once it is whole (<see cref="SubordinateOwners"/>).
/// </summary>
public sealed class Unpacker(BlobStore store, UnpackLimit limit = default)
{
    public string PathFor(string manifestDigest) => Path.Combine(store.Root, "rootfs", BlobStore.Hex(manifestDigest));

    /// <summary>
    /// Applies the layers in order, each read from <paramref name="open"/>(i), which may still be downloading;
    /// before the next, <paramref name="verified"/>(i) must return, so nothing unverified ever reaches the
    /// final place. Without them, layers are read from the store.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "each layer's blob and tar are disposed by their using declarations, which the analyzer does not follow through ?? and the wrapping streams")]
    public string Build(string manifestDigest, IReadOnlyList<Descriptor> layers, Func<int, Stream>? open = null, Action<int>? verified = null,
        Action<int>? applied = null, CancellationToken ct = default)
    {
        var final = PathFor(manifestDigest);
        if (Directory.Exists(final)) return final;
        using var held = store.Lock("rootfs-" + BlobStore.Hex(manifestDigest));
        if (Directory.Exists(final)) return final;
        // Built under tmp/ (same filesystem, so the rename is atomic): a killed pull leaves only scratch there.
        var temp = Path.Combine(store.Root, "tmp", $"rootfs-{BlobStore.Hex(manifestDigest)}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var extractor = new LayerExtractor(temp);
            var disk = new DiskSpace(store.Root);
            for (var i = 0; i < layers.Count; i++)
            {
                try
                {
                    using var blob = open?.Invoke(i) ?? store.OpenRead(layers[i].Digest);
                    using var tar = new MeteredTar(Decompress(blob, layers[i]), limit.For(layers[i].Size), disk);
                    extractor.Apply(tar, ct);
                }
                catch (Exception e) when (e is LayerException or InvalidDataException or FormatException or EndOfStreamException)
                {
                    // Bytes still downloading may fail to unpack because they are wrong: the download's own
                    // error (a digest mismatch) says so better, and only verified bytes make a layer's fault.
                    verified?.Invoke(i);
                    throw new LayerException($"layer {layers[i].Digest} cannot be unpacked: {e.Message}");
                }
                verified?.Invoke(i);
                applied?.Invoke(i);
            }
            SubordinateOwners.ForCurrentUser()?.Give(temp, extractor.Owners);
            Directory.Move(temp, final);
            return final;
        }
        catch
        {
            SubordinateOwners.Delete(temp);
            throw;
        }
    }

    private static Stream Decompress(Stream blob, Descriptor layer) => MediaTypes.LayerCompression(layer.MediaType) switch
    {
        MediaTypes.Compression.Gzip => new GZipStream(blob, CompressionMode.Decompress),
        MediaTypes.Compression.None => blob,
        MediaTypes.Compression.Zstd => throw Zstd(),
        _ => Sniff(blob, layer),
    };

    // Some registries label layers loosely: trust the gzip magic over an unknown media type.
    private static Stream Sniff(Stream blob, Descriptor layer)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = blob.Read(magic);
        blob.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(blob, CompressionMode.Decompress)
            : layer.MediaType.Contains("zstd", StringComparison.Ordinal) ? throw Zstd()
            : blob;
    }

    private static LayerException Zstd() => new("it is zstd-compressed, which mocker cannot unpack yet");
}
