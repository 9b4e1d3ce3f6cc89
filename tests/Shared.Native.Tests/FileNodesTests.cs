using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>Device numbers, directories with their errno and kernel interface files.</summary>
public sealed class FileNodesTests : IDisposable
{
    private readonly TempDir dir = new("containet-test-nodes");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_device_node_names_its_type_and_numbers_through_symlinks()
    {
        File.CreateSymbolicLink(dir.Combine("null"), "/dev/null");

        Assert.Equal((FileNodes.Kind.CharDevice, 1u, 3u), FileNodes.DeviceOf(dir.Combine("null")));
        Assert.Null(FileNodes.DeviceOf("/etc/hostname"));
        Assert.Null(FileNodes.DeviceOf(dir.Path));
        Assert.Equal(Errno.ENOENT, Assert.Throws<NativeException>(() => FileNodes.DeviceOf(dir.Combine("missing"))).Errno);
    }

    [RootFact]
    public void A_block_device_is_told_from_a_character_device()
    {
        var path = dir.Combine("disk");
        FileNodes.MakeNode(path, FileNodes.Kind.BlockDevice, Mode.O600, 259, 70000);

        Assert.Equal((FileNodes.Kind.BlockDevice, 259u, 70000u), FileNodes.DeviceOf(path));
    }

    [Fact]
    public void Making_a_directory_that_exists_is_an_error_and_removing_one_that_is_not_empty_too()
    {
        var path = dir.Combine("d");
        FileNodes.MakeDirectory(path, Mode.O700);

        Assert.Equal(Errno.EEXIST, Assert.Throws<NativeException>(() => FileNodes.MakeDirectory(path, Mode.O700)).Errno);
        Assert.Equal((UnixFileMode)Mode.O700, File.GetUnixFileMode(path));
        File.WriteAllText(Path.Combine(path, "f"), "");
        Assert.Equal(Errno.ENOTEMPTY, Assert.Throws<NativeException>(() => FileNodes.RemoveDirectory(path)).Errno);
        File.Delete(Path.Combine(path, "f"));
        FileNodes.RemoveDirectory(path);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Making_a_directory_if_missing_says_whether_it_made_one_and_fails_for_other_reasons()
    {
        var path = dir.Combine("m");

        Assert.True(FileNodes.MakeDirectoryIfMissing(path, 0x1c0));
        Assert.False(FileNodes.MakeDirectoryIfMissing(path, 0x1ff));
        Assert.Equal(0x1c0, (int)File.GetUnixFileMode(path));
        Assert.Equal(Errno.ENOENT, Assert.Throws<NativeException>(() => FileNodes.MakeDirectoryIfMissing(dir.Combine("no", "m"), 0x1c0)).Errno);
    }

    [Fact]
    public void Make_directories_makes_the_missing_parents_and_takes_a_folder_that_is_there()
    {
        var path = dir.Combine("a", "b", "c");

        FileNodes.MakeDirectories(path, 0x1c0);
        FileNodes.MakeDirectories(path, 0x1ff);

        Assert.Equal(0x1c0, (int)File.GetUnixFileMode(path));
        File.WriteAllText(dir.Combine("f"), "");
        Assert.Equal(Errno.ENOTDIR, Assert.Throws<NativeException>(() => FileNodes.MakeDirectories(dir.Combine("f", "x"), 0x1c0)).Errno);
    }

    [Fact]
    public void Only_a_directory_opens_as_one()
    {
        File.WriteAllText(dir.Combine("f"), "");

        using (var fd = FileNodes.OpenDirectory(dir.Path)) Assert.Equal(dir.Path, new FileInfo($"/proc/self/fd/{fd.Number}").LinkTarget);
        Assert.Equal(Errno.ENOTDIR, Assert.Throws<NativeException>(() => FileNodes.OpenDirectory(dir.Combine("f"))).Errno);
    }

    [Fact]
    public void A_kernel_file_is_never_created_and_takes_one_write_per_value()
    {
        var path = dir.Combine("setting");

        Assert.Equal(Errno.ENOENT, Assert.Throws<NativeException>(() => KernelFile.Open(path)).Errno);
        Assert.False(File.Exists(path));
        File.WriteAllText(path, "");
        using (var file = KernelFile.Open(path))
        {
            file.Write("a");
            file.Write("c 1:3 rwm");
        }
        Assert.Equal("a\nc 1:3 rwm\n", File.ReadAllText(path));
    }

    [RootFact]
    public void A_value_the_kernel_refuses_is_named_in_the_error()
    {
        using var file = KernelFile.Open("/proc/sys/kernel/ns_last_pid");

        var e = Assert.Throws<NativeException>(() => file.Write("not a number"));

        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.StartsWith("write 'not a number' to /proc/sys/kernel/ns_last_pid: EINVAL", e.Message);
    }
}
