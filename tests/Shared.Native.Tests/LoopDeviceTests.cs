using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>
/// Loop devices on unnamed files and detached mounts: what they leave behind (nothing, once closed) is what
/// matters, so every test ends by waiting for its loop device to clear.
/// </summary>
public sealed class LoopDeviceTests : IDisposable
{
    private readonly TempDir dir = new("containet-test-loop");

    public void Dispose()
    {
        Eventually.True(() => Backed().Count == 0, "every loop device of the test to clear");
        dir.Dispose();
    }

    [RootFact]
    public void A_new_file_is_attached_unnamed_with_its_size_and_cleared_on_last_close()
    {
        string name;
        using (var loop = LoopDevice.AttachNewFile(dir.Path, 8 << 20))
        {
            name = Path.GetFileName(loop.Path);
            Assert.Equal([name], Backed());
            Assert.EndsWith("(deleted)", File.ReadAllText($"/sys/block/{name}/loop/backing_file").Trim());
            Assert.Equal("1", File.ReadAllText($"/sys/block/{name}/loop/autoclear").Trim());
            Assert.Equal(8L << 20, long.Parse(File.ReadAllText($"/sys/block/{name}/size")) * 512);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        }
        Eventually.True(() => !File.Exists($"/sys/block/{name}/loop/backing_file"), "the device to clear");
    }

    [RootFact]
    public void A_missing_directory_or_a_negative_size_fails_with_nothing_attached()
    {
        Assert.Equal(Errno.ENOENT, Assert.Throws<NativeException>(() => LoopDevice.AttachNewFile(dir.Combine("missing"), 1 << 20)).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<NativeException>(() => LoopDevice.AttachNewFile(dir.Path, -1)).Errno);
        Assert.Empty(Backed());
    }

    [RootFact]
    public void A_detached_mount_is_in_no_mount_table_takes_directories_and_lets_its_device_clear_when_closed()
    {
        using (var loop = LoopDevice.AttachNewFile(dir.Path, 8 << 20))
        {
            Run.Command("mkfs.ext4", "-q", "-F", "-O", "^has_journal", loop.Path).EnsureSuccess();
            using var mount = DetachedMount.Create("ext4", loop.Path, flags: "noinit_itable");

            FileNodes.MakeDirectoryAt(mount, "root", Mode.O755);

            Assert.True(Directory.Exists($"/proc/self/fd/{mount.Number}/root"));
            Assert.DoesNotContain(loop.Path, File.ReadAllText("/proc/self/mountinfo"));
            Assert.Equal(Errno.EEXIST, Assert.Throws<NativeException>(() => FileNodes.MakeDirectoryAt(mount, "root", Mode.O755)).Errno);
        }
    }

    [RootFact]
    public void A_source_that_holds_no_such_filesystem_names_itself()
    {
        using var loop = LoopDevice.AttachNewFile(dir.Path, 1 << 20);

        var e = Assert.Throws<NativeException>(() => DetachedMount.Create("ext4", loop.Path));

        Assert.Contains(loop.Path, e.Message);
        Assert.StartsWith("mount ext4", e.Message);
    }

    /// <summary>The loop devices backed by a file made in this test's folder.</summary>
    private List<string> Backed() =>
        [.. Directory.EnumerateDirectories("/sys/block", "loop*")
            .Where(d => File.Exists(Path.Combine(d, "loop", "backing_file")) && File.ReadAllText(Path.Combine(d, "loop", "backing_file")).StartsWith(dir.Path + "/", StringComparison.Ordinal))
            .Select(d => Path.GetFileName(d))];
}
