using System.Text.Json;
using Mocker.Extraction;
using Mocker.References;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>
/// A pull: manifest (through an index to the platform's), config, layers downloaded concurrently and applied
/// in order as they arrive, then the reference recorded. Blobs already stored are not downloaded again, so a
/// warm re-pull only fetches the manifest.
/// </summary>
public sealed class Puller(RegistryClient registry, BlobStore store, IPullProgress progress)
{
    private const int ParallelDownloads = 4;

    public async Task<ImageRecord> Pull(ImageReference reference, Platform platform, CancellationToken ct)
    {
        var top = await registry.GetManifest(reference, reference.Reference, ct).ConfigureAwait(false);
        var manifest = top;
        if (top.IsIndex)
        {
            var chosen = top.Select(platform);
            manifest = await registry.GetManifest(reference, chosen.Digest, ct).ConfigureAwait(false);
        }
        if (manifest.IsIndex || manifest.Config is null)
            throw new RegistryException($"{reference}: an index inside an index is not an image");
        store.Put(manifest.Digest, manifest.Bytes);
        await store.Ensure(manifest.Config.Digest, s => registry.DownloadBlob(reference, manifest.Config, s, null, ct)).ConfigureAwait(false);

        var layers = manifest.Layers;
        progress.Start(layers);
        using var slots = new SemaphoreSlim(ParallelDownloads);
        var downloads = new Task[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var index = i;
            downloads[i] = Task.Run(async () =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var fetched = await store.Ensure(layer.Digest, s => registry.DownloadBlob(reference, layer, s, n => progress.Downloaded(index, n), ct)).ConfigureAwait(false);
                    progress.Stored(index, fetched);
                }
                finally
                {
                    slots.Release();
                }
            }, ct);
        }
        try
        {
            await new Unpacker(store).Build(manifest.Digest, layers, i => downloads[i], i => progress.Applied(i)).ConfigureAwait(false);
        }
        finally
        {
            // Let every download end (and clean its temp file) before reporting the failure.
            await Task.WhenAll(downloads).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        await Task.WhenAll(downloads).ConfigureAwait(false);

        var record = new ImageRecord(reference.ToString(), top.Digest, manifest.Digest, platform.ToString(),
            layers.Sum(l => Math.Max(0, l.Size)), Created(manifest.Config), layers.Select(l => l.Digest).ToList(), manifest.Config.Digest);
        new ImageIndex(store).Save(record);
        progress.Done(record);
        return record;
    }

    private DateTimeOffset Created(Descriptor config)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(store.PathOf(config.Digest)));
            return doc.RootElement.TryGetProperty("created", out var c) && c.TryGetDateTimeOffset(out var t) ? t : DateTimeOffset.MinValue;
        }
        catch (JsonException)
        {
            return DateTimeOffset.MinValue;
        }
    }
}
