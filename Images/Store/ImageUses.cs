namespace Mocker.Store;

/// <summary>
/// Which containers use which unpacked tree: uses/MANIFEST-HEX/CONTAINER-ID, a file holding the container's name
/// and its state directory, written by containode when it makes a container of an image and removed with the
/// container. A use whose container's directory is gone (removed while containode could not tidy) counts for
/// nothing and is dropped. mocker rm refuses an image in use; mocker prune keeps its tree.
/// </summary>
public sealed class ImageUses(BlobStore store)
{
    public readonly record struct Use(string Id, string Name, string Directory);

    private string DirOf(string manifest) => Path.Combine(store.Root, "uses", BlobStore.Hex(manifest));

    /// <summary>The file that notes a container's use (removed by whoever removes the container).</summary>
    public string FileOf(string manifest, string id) => Path.Combine(DirOf(manifest), id);

    public void Add(string manifest, string id, string name, string directory)
    {
        Directory.CreateDirectory(DirOf(manifest));
        File.WriteAllText(FileOf(manifest, id), name + "\n" + directory + "\n");
    }

    public void Remove(string manifest, string id)
    {
        File.Delete(FileOf(manifest, id));
        try { Directory.Delete(DirOf(manifest)); }
        catch (IOException) { }
    }

    /// <summary>The containers that use the tree of <paramref name="manifest"/>.</summary>
    public List<Use> Of(string manifest)
    {
        var uses = new List<Use>();
        var dir = DirOf(manifest);
        if (!Directory.Exists(dir)) return uses;
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            var lines = File.ReadAllLines(file);
            if (lines.Length >= 2 && Directory.Exists(lines[1])) uses.Add(new Use(Path.GetFileName(file), lines[0], lines[1]));
            else File.Delete(file);
        }
        return uses;
    }

    /// <summary>The manifests whose trees some container uses.</summary>
    public IEnumerable<string> InUse()
    {
        var root = Path.Combine(store.Root, "uses");
        if (!Directory.Exists(root)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var manifest = "sha256:" + Path.GetFileName(dir);
            if (Of(manifest).Count > 0) yield return manifest;
        }
    }
}
