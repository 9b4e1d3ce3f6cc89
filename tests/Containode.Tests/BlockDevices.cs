using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>Block devices of this host by what tests need of them: the whole disk a path's filesystem is on.</summary>
internal static class BlockDevices
{
    /// <summary>The disk (not the partition) under <paramref name="path"/>'s filesystem: its /dev node and numbers.</summary>
    public static (string Node, uint Major, uint Minor) DiskOf(string path)
    {
        var numbers = Run.Command("stat", "-c", "%Hd:%Ld", path).EnsureSuccess().Stdout.Trim();
        var sys = new DirectoryInfo($"/sys/dev/block/{numbers}").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? $"/sys/dev/block/{numbers}";
        if (File.Exists(Path.Combine(sys, "partition"))) sys = Path.GetDirectoryName(sys)!;
        var uevent = File.ReadAllLines(Path.Combine(sys, "uevent")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return ("/dev/" + uevent["DEVNAME"], uint.Parse(uevent["MAJOR"]), uint.Parse(uevent["MINOR"]));
    }
}
