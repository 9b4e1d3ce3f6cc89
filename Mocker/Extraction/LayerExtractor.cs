using System.Formats.Tar;
using Containet.Native;

namespace Mocker.Extraction;

/// <summary>
/// Applies one layer (a tar stream) onto a root directory: whiteouts and opaque directories remove what lower
/// layers had, entries keep their modes (setuid, setgid, sticky), numeric owners and times, and links and
/// device nodes are made as they were. Nothing is written outside the root (see <see cref="RootedPath"/>).
/// </summary>
public sealed class LayerExtractor(string root)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private readonly RootedPath paths = new(root);

    public void Apply(Stream tar, CancellationToken ct = default)
    {
        // What this layer itself wrote: its own whiteouts must not remove it (OCI image spec).
        var written = new HashSet<string>(StringComparer.Ordinal);
        var directoryTimes = new List<DirectoryTime>();
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            ct.ThrowIfCancellationRequested();
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
            var relative = TarPath.Normalize(entry.Name);
            if (relative.Length == 0) continue;
            var name = TarPath.Name(relative);
            if (name == OpaqueMarker)
            {
                ClearLower(TarPath.Parent(relative), written);
                continue;
            }
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var hidden = (TarPath.Parent(relative) is { Length: > 0 } p ? p + "/" : "") + name[WhiteoutPrefix.Length..];
                if (!written.Contains(hidden)) Remove(paths.ForEntry(hidden));
                continue;
            }
            var target = paths.ForEntry(relative);
            Create(entry, target);
            written.Add(relative);
            if (entry.EntryType == TarEntryType.Directory) directoryTimes.Add(new DirectoryTime(target, entry.ModificationTime));
        }
        // Directory times last: creating their children changed them.
        for (var i = directoryTimes.Count - 1; i >= 0; i--)
            FileNodes.SetTime(directoryTimes[i].Path, directoryTimes[i].Time);
    }

    // A class, not a tuple: a list of tuples is generic code compiled at every pull's start.
    private sealed record DirectoryTime(string Path, DateTimeOffset Time);

    private void Create(TarEntry entry, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var existing = Posix.TypeOf(target);
        var isDirectory = entry.EntryType == TarEntryType.Directory;
        if (existing != Posix.FileType.Missing && !(isDirectory && existing == Posix.FileType.Directory))
            Remove(target);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    entry.DataStream?.CopyTo(file);
                break;
            case TarEntryType.SymbolicLink:
                File.CreateSymbolicLink(target, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                // The link target is resolved inside the root too; a lower layer's file is a fine target.
                var source = paths.ForEntry(TarPath.Normalize(entry.LinkName));
                if (Posix.TypeOf(source) is Posix.FileType.Missing or Posix.FileType.Directory)
                    throw new LayerException($"hard link {entry.Name} points at {entry.LinkName}, which is not a file in the image");
                FileNodes.HardLink(source, target);
                return; // a hard link shares its target's inode, owner and mode
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                var posix = (PosixTarEntry)entry;
                var kind = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => FileNodes.Kind.CharDevice,
                    TarEntryType.BlockDevice => FileNodes.Kind.BlockDevice,
                    _ => FileNodes.Kind.Fifo,
                };
                FileNodes.MakeNode(target, kind, (uint)entry.Mode, (uint)posix.DeviceMajor, (uint)posix.DeviceMinor);
                break;
            default:
                throw new LayerException($"entry {entry.Name} has unsupported type {entry.EntryType}");
        }
        FileNodes.Lchown(target, entry.Uid, entry.Gid);
        if (entry.EntryType != TarEntryType.SymbolicLink)
            File.SetUnixFileMode(target, entry.Mode); // after chown, which clears setuid and setgid
        if (!isDirectory) FileNodes.SetTime(target, entry.ModificationTime);
    }

    /// <summary>An opaque directory hides everything lower layers put in it.</summary>
    private void ClearLower(string directory, HashSet<string> written)
    {
        var path = paths.ForEntry(directory);
        if (Posix.TypeOf(path) != Posix.FileType.Directory) return;
        foreach (var child in Directory.EnumerateFileSystemEntries(path))
        {
            var relative = (directory.Length > 0 ? directory + "/" : "") + Path.GetFileName(child);
            if (!written.Contains(relative)) Remove(child);
        }
    }

    private static void Remove(string path)
    {
        switch (Posix.TypeOf(path))
        {
            case Posix.FileType.Missing:
                return;
            case Posix.FileType.Directory:
                Directory.Delete(path, recursive: true);
                return;
            default:
                File.Delete(path);
                return;
        }
    }
}
