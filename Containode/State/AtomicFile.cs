using Containet.Native;
namespace Containode;

/// <summary>Files replaced whole (written beside, then renamed over), so a reader never sees half of one.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var temp = path + ".tmp";
        SmallFile.Write(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
