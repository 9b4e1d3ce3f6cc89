using System.Text.Json;
using Mocker.Extraction;
using Mocker.References;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>
/// A pull: manifest (through an index to the platform's), config, layers downloaded concurrently (threads, not
/// async: see <see cref="AuthHandler"/>) and applied in order as they arrive, then the reference recorded.
/// Blobs already stored are not downloaded again, so a warm re-pull only fetches the manifest.
/// </summary>
public sealed class Puller(RegistryClient registry, BlobStore store, IPullProgress progress)
{
    private const int ParallelDownloads = 4;

    public ImageRecord Pull(ImageReference reference, Platform platform, CancellationToken ct)
    {
        var top = registry.GetManifest(reference, reference.Reference, ct);
        var manifest = top;
        if (top.IsIndex)
        {
            var chosen = top.Select(platform);
            manifest = registry.GetManifest(reference, chosen.Digest, ct);
        }
        if (manifest.IsIndex || manifest.Config is null)
            throw new RegistryException($"{reference}: an index inside an index is not an image");
        store.Put(manifest.Digest, manifest.Bytes);
        store.Ensure(manifest.Config.Digest, s => registry.DownloadBlob(reference, manifest.Config, s, null, ct));

        var layers = manifest.Layers;
        progress.Start(layers);
        var downloads = Download(reference, layers, ct);
        try
        {
            // Build waits for each layer's download, so once it returns every download has succeeded.
            new Unpacker(store).Build(manifest.Digest, layers, i => downloads[i].GetAwaiter().GetResult(), i => progress.Applied(i), ct);
        }
        catch
        {
            // Let every download end (and clean its temp file) before reporting the failure.
            foreach (var d in downloads)
            {
                try { d.Wait(CancellationToken.None); }
                catch (AggregateException) { }
            }
            throw;
        }

        var record = new ImageRecord(reference.ToString(), top.Digest, manifest.Digest, platform.ToString(),
            layers.Sum(l => Math.Max(0, l.Size)), Created(manifest.Config), layers.Select(l => l.Digest).ToList(), manifest.Config.Digest);
        new ImageIndex(store).Save(record);
        progress.Done(record);
        return record;
    }

    /// <summary>
    /// Starts the layer downloads on up to <see cref="ParallelDownloads"/> threads, in manifest order, and returns
    /// one completion per layer. After a failure the threads start no new download.
    /// </summary>
    private Task[] Download(ImageReference reference, IReadOnlyList<Descriptor> layers, CancellationToken ct)
    {
        var done = new TaskCompletionSource[layers.Count];
        for (var i = 0; i < done.Length; i++) done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;
        var failed = false;
        for (var t = 0; t < Math.Min(ParallelDownloads, layers.Count); t++)
        {
            new Thread(() =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < layers.Count;)
                {
                    if (Volatile.Read(ref failed))
                    {
                        done[i].SetCanceled(ct);
                        continue;
                    }
                    try
                    {
                        var layer = layers[i];
                        var index = i;
                        var fetched = store.Ensure(layer.Digest, s => registry.DownloadBlob(reference, layer, s, n => progress.Downloaded(index, n), ct));
                        progress.Stored(i, fetched);
                        done[i].SetResult();
                    }
                    catch (Exception e)
                    {
                        Volatile.Write(ref failed, true);
                        done[i].SetException(e);
                    }
                }
            }) { IsBackground = true, Name = "download" }.Start();
        }
        return Array.ConvertAll(done, d => d.Task);
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
