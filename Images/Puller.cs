using Mocker.Extraction;
using Mocker.References;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>
/// A pull: manifest (through an index to the platform's), then the config and the layers downloaded concurrently
/// on threads, the config first; the layers are applied in order as they arrive, once the config has shown the
/// image is for the platform, then the reference is recorded. Blobs already stored are not downloaded again, so a
/// warm re-pull only fetches the manifest. Before any download the config's size is checked against its limit and
/// the blobs' sizes against the disk's free space.
/// </summary>
public sealed class Puller(RegistryClient registry, BlobStore store, IPullProgress progress, UnpackLimit limit = default)
{
    private const int ParallelDownloads = 4;

    /// <summary>
    /// Pulls the image of <paramref name="platform"/>. An image whose config names another platform is refused
    /// when <paramref name="strict"/> (the platform was asked for), and otherwise pulled with a warning, and
    /// recorded with its own platform.
    /// </summary>
    public ImageRecord Pull(ImageReference reference, Platform platform, bool strict, CancellationToken ct)
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
        if (manifest.Config.Size > RegistryClient.MaxConfigBytes)
            throw new RegistryException($"the config of {reference} is {ByteSize.FormatColumn(manifest.Config.Size)}, more than the {RegistryClient.MaxConfigBytes >> 20} MiB mocker accepts");
        var layers = manifest.Layers;
        // The config is the last blob and the first download.
        var blobs = new List<Descriptor>(layers) { manifest.Config };
        var disk = new DiskSpace(store.Root);
        if (blobs.Where(b => !store.Has(b.Digest)).Sum(b => b.Size) is var needed && needed > disk.Spare)
            throw new IOException($"not enough free space in {store.Root} for {reference}: its blobs need {ByteSize.FormatColumn(needed)}, the disk has {ByteSize.FormatColumn(Math.Max(0, disk.Spare))} of space to spare; make room (mocker rm, mocker prune) and pull again");
        store.Put(manifest.Digest, manifest.Bytes);

        progress.Start(layers);
        var growing = blobs.Select(b => new GrowingBlob(store, b.Digest)).ToArray();
        // A refusal stops the downloads under way.
        using var refused = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var downloads = Download(reference, blobs, growing, layers.Count, refused.Token);
        ImageConfig config;
        try
        {
            downloads[^1].GetAwaiter().GetResult();
            config = ImageConfig.Read(File.ReadAllBytes(store.PathOf(manifest.Config.Digest)));
            if (config.Platform is { } image && !platform.IsServedBy(image))
            {
                if (strict)
                {
                    refused.Cancel();
                    throw new RegistryException($"{reference} is an image for {image}, not for {platform} as --platform asks");
                }
                progress.Warn($"{reference} is an image for {image}, not for this machine's {platform}");
            }
            // Each layer is unpacked as it downloads; Build waits for its verification before the next, so
            // once it returns every layer's download has succeeded.
            new Unpacker(store, limit).Build(manifest.Digest, layers, i => growing[i].Open(ct), i => downloads[i].GetAwaiter().GetResult(),
                i => progress.Applied(i), ct);
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
        finally
        {
            foreach (var g in growing) g.Dispose();
        }

        var record = new ImageRecord(reference.ToString(), top.Digest, manifest.Digest, (config.Platform ?? platform).ToString(),
            layers.Sum(l => l.Size), config.Created, layers.Select(l => l.Digest).ToList(), manifest.Config.Digest);
        new ImageIndex(store).Save(record);
        progress.Done(record);
        return record;
    }

    /// <summary>
    /// Starts the downloads on up to <see cref="ParallelDownloads"/> threads, the last blob first and then in order, and returns one completion
    /// per blob; each grows its <paramref name="growing"/>, and the first <paramref name="layers"/> report progress.
    /// After a failure the threads start no new download.
    /// </summary>
    private Task[] Download(ImageReference reference, List<Descriptor> blobs, GrowingBlob[] growing, int layers, CancellationToken ct)
    {
        var done = new TaskCompletionSource[blobs.Count];
        for (var i = 0; i < done.Length; i++) done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;
        var failed = false;
        for (var t = 0; t < Math.Min(ParallelDownloads, blobs.Count); t++)
        {
            new Thread(() =>
            {
                for (int n; (n = Interlocked.Increment(ref next)) < blobs.Count;)
                {
                    var i = n == 0 ? blobs.Count - 1 : n - 1;
                    if (Volatile.Read(ref failed))
                    {
                        growing[i].Failed(new OperationCanceledException("an earlier download failed"));
                        done[i].SetCanceled(ct);
                        continue;
                    }
                    try
                    {
                        var blob = blobs[i];
                        var index = i;
                        var follower = growing[i];
                        var fetched = store.Ensure(blob.Digest, s => registry.DownloadBlob(reference, blob, s, n =>
                        {
                            follower.Grew(n);
                            if (index < layers) progress.Downloaded(index, n);
                        }, ct), follower.Created);
                        follower.Verified();
                        if (i < layers) progress.Stored(i, fetched);
                        done[i].SetResult();
                    }
                    catch (Exception e)
                    {
                        Volatile.Write(ref failed, true);
                        growing[i].Failed(e);
                        done[i].SetException(e);
                    }
                }
            }) { IsBackground = true, Name = "download" }.Start();
        }
        return Array.ConvertAll(done, d => d.Task);
    }
}
