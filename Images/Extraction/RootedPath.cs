using Containet.Native;

namespace Mocker.Extraction;

/// <summary>
/// Resolves paths inside a root as if it were chrooted: a symlink met on the way is followed, but an absolute
/// target starts again at the root and '..' stops at it, so no entry can be written outside through a link.
/// </summary>
public sealed class RootedPath(string root)
{
    private const int MaxLinks = 40;

    public string Root { get; } = Path.TrimEndingDirectorySeparator(root);

    /// <summary>The host path of a normalised relative path, following symlinks in every component.</summary>
    public string Resolve(string relative)
    {
        var parts = new List<string>();
        var pending = new Queue<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            var candidate = Join(parts) + "/" + part;
            if (Posix.TypeOf(candidate) != Posix.FileType.Symlink)
            {
                parts.Add(part);
                continue;
            }
            if (++links > MaxLinks) throw new LayerException($"too many symlinks resolving '{relative}'");
            var target = new FileInfo(candidate).LinkTarget ?? "";
            if (target.StartsWith('/')) parts.Clear();
            var rest = pending.ToArray();
            pending.Clear();
            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries)) pending.Enqueue(p);
            foreach (var p in rest) pending.Enqueue(p);
        }
        return Join(parts);
    }

    /// <summary>Where an entry goes: its parent resolved inside the root, its own name not followed.</summary>
    public string ForEntry(string relative) =>
        relative.Length == 0 ? Root : Resolve(TarPath.Parent(relative)) + "/" + TarPath.Name(relative);

    private string Join(List<string> parts) => parts.Count == 0 ? Root : Root + "/" + string.Join('/', parts);
}
