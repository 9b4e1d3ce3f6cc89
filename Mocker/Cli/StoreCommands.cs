using Containet.Cli;
using System.CommandLine;
using System.Text.Json;
using Mocker.Extraction;
using Mocker.References;
using Mocker.Store;

namespace Mocker.Cli;

/// <summary>`mocker images`, `mocker rm` and `mocker prune`: neither removes what a container uses (<see cref="ImageUses"/>).</summary>
internal static class StoreCommands
{
    public static Command Images()
    {
        var command = new Command("images", "list stored images") { MockerOptions.Json };
        command.SetAction(r =>
        {
            var records = new ImageIndex(MockerOptions.OpenStore(r)).All();
            if (r.GetValue(MockerOptions.Json))
            {
                Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(ImageRecord.ToJson(records, array: true)));
                return 0;
            }
            Console.Out.WriteLine($"{"REFERENCE",-50} {"DIGEST",-20} {"SIZE",10}  CREATED");
            foreach (var i in records)
                Console.Out.WriteLine($"{i.Reference,-50} {i.Digest[..Math.Min(19, i.Digest.Length)],-20} {ByteSize.FormatColumn(i.Size),10}  {(i.Created == DateTimeOffset.MinValue ? "-" : i.Created.ToString("yyyy-MM-dd HH:mm"))}");
            return 0;
        });
        return command;
    }

    public static Command Remove()
    {
        var reference = new Argument<string>("REF") { Description = "the image to remove" };
        var force = new Option<bool>("--force", "-f") { Description = "remove the reference even if a container uses the image (its tree stays while one does)" };
        var command = new Command("rm", "remove an image's reference and unpacked tree (blobs go with `mocker prune`)") { reference, force };
        command.SetAction(r =>
        {
            var store = MockerOptions.OpenStore(r);
            var index = new ImageIndex(store);
            var name = UsageException.Check(() => ImageReference.Parse(r.GetValue(reference)!)).ToString();
            var record = index.Find(name) ?? throw new InvalidOperationException($"no such image: {name}");
            var last = !index.All().Any(o => o.Manifest == record.Manifest && o.Reference != name);
            var users = new ImageUses(store).Of(record.Manifest);
            if (last && users.Count > 0 && !r.GetValue(force))
                throw new InvalidOperationException($"image {name} is used by container {users[0].Name} ({users[0].Id[..12]}){(users.Count > 1 ? $" and {users.Count - 1} more" : "")}: remove it first (containode rm {users[0].Name}), or force with -f");
            index.Remove(name);
            if (last && users.Count == 0)
                DeleteTree(new Unpacker(store).PathFor(record.Manifest));
            Console.Out.WriteLine($"Untagged {name}");
            return 0;
        });
        return command;
    }

    public static Command Prune()
    {
        var command = new Command("prune", "remove blobs and trees no stored image refers to");
        command.SetAction(r =>
        {
            var store = MockerOptions.OpenStore(r);
            var records = new ImageIndex(store).All();
            var keep = new HashSet<string>(StringComparer.Ordinal);
            foreach (var i in records)
            {
                keep.Add(i.Digest);
                keep.Add(i.Manifest);
                keep.Add(i.Config);
                keep.UnionWith(i.Layers);
            }
            long freed = 0;
            var removed = 0;
            foreach (var blob in store.All().ToList())
                if (!keep.Contains(blob))
                {
                    freed += new FileInfo(store.PathOf(blob)).Length;
                    File.Delete(store.PathOf(blob));
                    removed++;
                }
            // Only mocker's own trees (named by a manifest's digest) go, and never one a container uses.
            var trees = records.Select(i => i.Manifest).Concat(new ImageUses(store).InUse()).Select(BlobStore.Hex).ToHashSet(StringComparer.Ordinal);
            foreach (var dir in Directory.EnumerateDirectories(Path.Combine(store.Root, "rootfs")))
                if (Path.GetFileName(dir) is var hex && IsDigestHex(hex) && !trees.Contains(hex)) DeleteTree(dir);
            foreach (var temp in Directory.EnumerateFiles(Path.Combine(store.Root, "tmp"))) File.Delete(temp);
            foreach (var temp in Directory.EnumerateDirectories(Path.Combine(store.Root, "tmp"))) DeleteTree(temp);
            Console.Out.WriteLine($"Deleted {removed} blobs, {ByteSize.FormatColumn(freed)} freed");
            return 0;
        });
        return command;
    }

    private static bool IsDigestHex(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    private static void DeleteTree(string path) => SubordinateOwners.Delete(path);
}
