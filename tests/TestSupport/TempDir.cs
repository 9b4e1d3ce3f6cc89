namespace Containet.TestSupport;

/// <summary>A unique folder removed on Dispose, also when the test failed.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string prefix = "containet-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Unique.Name()}");
        Directory.CreateDirectory(Path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Removes the folder, after unmounting anything a failed test left mounted below it (a switch's pins, say).</summary>
    public void Dispose()
    {
        var below = Path + "/";
        foreach (var line in File.ReadLines("/proc/self/mountinfo").Reverse())
        {
            var mountPoint = line.Split(' ')[4];
            if (mountPoint.StartsWith(below, StringComparison.Ordinal)) Run.Command("umount", "-l", mountPoint);
        }
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
