namespace Mocker.Extraction;

/// <summary>Layer entry names made safe: relative, normalised, never above the root.</summary>
public static class TarPath
{
    /// <summary>
    /// Normalises a tar name: a leading '/' or './' is dropped, '.' parts vanish and '..' parts climb, but
    /// never above the root: a name that would is refused. Returns "" for the root itself.
    /// </summary>
    public static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) throw new LayerException($"entry '{name}' climbs out of the root");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part.Contains('\0')) throw new LayerException($"entry '{name}' has a NUL in its name");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    public static string Parent(string relative) => relative.LastIndexOf('/') is var i and >= 0 ? relative[..i] : "";

    public static string Name(string relative) => relative[(relative.LastIndexOf('/') + 1)..];

    /// <summary>A name fit for a one-line message: a long one keeps its start and its length.</summary>
    public static string Shorten(string name) => name.Length <= 100 ? name : $"{name[..80]}... ({name.Length} characters)";
}

/// <summary>A layer that cannot be applied safely: the pull fails and nothing is kept.</summary>
public sealed class LayerException(string message) : Exception(message);
