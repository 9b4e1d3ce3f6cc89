using Containet.Native;
namespace Containode;

/// <summary>Files replaced whole (written beside, then renamed over), so a reader never sees half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Replaces PATH with TEXT, unless it holds TEXT already (a container started again under its name keeps its
    /// config and info): a replaced file frees its old block, which on a disk mounted with discard is a
    /// synchronous discard in the writer's time, and reading a few lines from the page cache is not.
    /// </summary>
    public static void Write(string path, string text)
    {
        if (SmallFile.ReadIfExists(path) == text) return;
        var temp = path + ".tmp";
        SmallFile.Write(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
