using System.Formats.Tar;
using System.Text;
using Containet.Native;

namespace Mocker.Extraction;

/// <summary>
/// Applies one layer (a tar stream) onto a root directory: whiteouts and opaque directories remove what lower
/// layers had, entries keep their modes (setuid, setgid, sticky), numeric owners and times, and links and
/// device nodes are made as they were. Nothing is written outside the root (see <see cref="RootedPath"/>), and
/// no path is longer than the kernel takes (PATH_MAX), so a layer nested thousands deep fails at once.
/// A user other than root unpacks into a store of their own: they cannot give files away nor make device nodes,
/// so every file is theirs at first (their uid is the container's root) and device nodes are left out (a container's
/// /dev is a tmpfs of its own with the host's nodes in it). The entries the image gives another owner are kept in
/// <see cref="Owners"/>, for <see cref="SubordinateOwners"/> to give them theirs once the tree is whole.
/// </summary>
public sealed class LayerExtractor(string root)
{
    private readonly bool asUser = !Posix.IsRoot;

    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const int PathMax = 4096;
    private readonly RootedPath paths = new(root);
    private readonly int rootBytes = Encoding.UTF8.GetByteCount(root);

    // Directories already resolved and made, by relative path: parents met before and directory entries, so
    // that an entry is placed without resolving its path from the root again. Only a removal can turn one into
    // something else (every replacement removes first), so a removal forgets them all.
    private readonly Dictionary<string, string> directories = new(StringComparer.Ordinal);

    private readonly Dictionary<string, ImageOwner> owners = new(StringComparer.Ordinal);

    /// <summary>
    /// For a user's unpack: the entries of the tree as it stands whose image owner is not root, by their path (inside
    /// the root, resolved as they were placed). A removed entry leaves, with all below it.
    /// </summary>
    public IReadOnlyDictionary<string, ImageOwner> Owners => owners;

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
            var relative = Relative(entry.Name);
            if (relative.Length == 0) continue;
            var name = TarPath.Name(relative);
            if (name == OpaqueMarker)
            {
                ClearLower(TarPath.Parent(relative), written);
                continue;
            }
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                // '.', '..' and '' name no file: removing them would take the directory itself, or the one above it.
                var whited = name[WhiteoutPrefix.Length..];
                if (whited is "" or "." or "..")
                    throw new LayerException($"entry '{entry.Name}' is a whiteout of '{whited}', which names no file");
                var hidden = (TarPath.Parent(relative) is { Length: > 0 } p ? p + "/" : "") + whited;
                if (!written.Contains(hidden)) Remove(paths.ForEntry(hidden));
                continue;
            }
            var target = Place(relative);
            Create(entry, target);
            written.Add(relative);
            if (entry.EntryType == TarEntryType.Directory)
            {
                directories[relative] = target;
                directoryTimes.Add(new DirectoryTime(target, entry.ModificationTime));
            }
        }
        // Directory times last: creating their children changed them.
        for (var i = directoryTimes.Count - 1; i >= 0; i--)
            FileNodes.SetTime(directoryTimes[i].Path, directoryTimes[i].Time);
    }

    private sealed record DirectoryTime(string Path, DateTimeOffset Time);

    private void ForgetOwners(string path)
    {
        owners.Remove(path);
        var below = path + "/";
        foreach (var key in owners.Keys.Where(k => k.StartsWith(below, StringComparison.Ordinal)).ToList()) owners.Remove(key);
    }

    /// <summary>A tar name made relative and safe (<see cref="TarPath.Normalize"/>), refused when its path under the root would pass PATH_MAX.</summary>
    private string Relative(string name)
    {
        var relative = TarPath.Normalize(name);
        if (rootBytes + 1 + Encoding.UTF8.GetByteCount(relative) >= PathMax)
            throw new LayerException($"entry '{TarPath.Shorten(name)}' is too deep: its path passes {PathMax} bytes (PATH_MAX)");
        return relative;
    }

    /// <summary>Where an entry goes: its parent resolved inside the root and made, its own name not followed.</summary>
    private string Place(string relative)
    {
        var parent = TarPath.Parent(relative);
        if (!directories.TryGetValue(parent, out var host))
        {
            host = paths.Resolve(parent);
            Directory.CreateDirectory(host);
            directories[parent] = host;
        }
        return host + "/" + TarPath.Name(relative);
    }

    private void Create(TarEntry entry, string target)
    {
        var isDirectory = entry.EntryType == TarEntryType.Directory;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                // Checked first: making a directory where a symlink to one is would keep the link.
                if (Posix.TypeOf(target) is not (Posix.FileType.Missing or Posix.FileType.Directory)) Remove(target);
                Directory.CreateDirectory(target);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                FileStream? created = null;
                Replacing(target, () => created = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
                using (var file = created!)
                    entry.DataStream?.CopyTo(file);
                break;
            case TarEntryType.SymbolicLink:
                Replacing(target, () => File.CreateSymbolicLink(target, entry.LinkName));
                break;
            case TarEntryType.HardLink:
                // The link target is resolved inside the root too; a lower layer's file is a fine target.
                var source = paths.ForEntry(Relative(entry.LinkName));
                if (Posix.TypeOf(source) is Posix.FileType.Missing or Posix.FileType.Directory)
                    throw new LayerException($"hard link {entry.Name} points at {entry.LinkName}, which is not a file in the image");
                Replacing(target, () => FileNodes.HardLink(source, target));
                return; // a hard link shares its target's inode, owner and mode
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice when asUser:
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                var posix = (PosixTarEntry)entry;
                var kind = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => FileNodes.Kind.CharDevice,
                    TarEntryType.BlockDevice => FileNodes.Kind.BlockDevice,
                    _ => FileNodes.Kind.Fifo,
                };
                Replacing(target, () => FileNodes.MakeNode(target, kind, (uint)entry.Mode, (uint)posix.DeviceMajor, (uint)posix.DeviceMinor));
                break;
            default:
                throw new LayerException($"entry {entry.Name} has unsupported type {entry.EntryType}");
        }
        if (!asUser) FileNodes.Lchown(target, entry.Uid, entry.Gid);
        else if (entry.Uid != 0 || entry.Gid != 0) owners[target] = new ImageOwner(entry.Uid, entry.Gid, entry.Mode, entry.EntryType == TarEntryType.SymbolicLink);
        else owners.Remove(target);
        // A user's own directory without write or search for them would stop the next entry, where root passes.
        var mode = asUser && isDirectory ? entry.Mode | (UnixFileMode)Mode.O700 : entry.Mode;
        if (entry.EntryType != TarEntryType.SymbolicLink)
            File.SetUnixFileMode(target, mode); // after chown, which clears setuid and setgid
        if (!isDirectory) FileNodes.SetTime(target, entry.ModificationTime);
    }

    /// <summary>
    /// Makes a node, replacing whatever is at <paramref name="target"/>: optimistically, as an entry rarely
    /// replaces another, so the look for one is paid only when making fails.
    /// </summary>
    private void Replacing(string target, Action make)
    {
        try
        {
            make();
        }
        catch (IOException) when (Posix.TypeOf(target) != Posix.FileType.Missing)
        {
            Remove(target);
            make();
        }
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

    private void Remove(string path)
    {
        directories.Clear();
        if (owners.Count > 0) ForgetOwners(path);
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
