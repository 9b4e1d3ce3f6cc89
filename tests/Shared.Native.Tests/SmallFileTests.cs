using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

public sealed class SmallFileTests : IDisposable
{
    private readonly TempDir temp = new("smallfile");

    [Fact]
    public void What_is_written_reads_back_whole_also_past_one_buffer()
    {
        foreach (var length in new[] { 0, 1, 4095, 4096, 4097, 70_000 })
        {
            var path = temp.Combine($"f{length}");
            var text = new string('é', length / 2) + new string('x', length - length / 2);
            SmallFile.Write(path, text);
            Assert.Equal(text, SmallFile.Read(path));
            Assert.Equal(text, File.ReadAllText(path));
        }
    }

    [Fact]
    public void Write_replaces_a_longer_file_whole()
    {
        var path = temp.Combine("f");
        SmallFile.Write(path, "a long first version\n");
        SmallFile.Write(path, "short\n");
        Assert.Equal("short\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_proc_file_whose_size_says_zero_reads_whole()
    {
        var status = SmallFile.Read("/proc/self/status");
        Assert.Contains("\nPid:\t", status);
        Assert.EndsWith("\n", status);
    }

    [Fact]
    public void Errors_come_as_File_gives_them()
    {
        Assert.Throws<FileNotFoundException>(() => SmallFile.Read(temp.Combine("missing")));
        Assert.Throws<FileNotFoundException>(() => SmallFile.Write(temp.Combine("no", "such", "dir"), ""));
        var e = Assert.Throws<NativeException>(() => SmallFile.Read(temp.Path));
        Assert.Equal(Errno.EISDIR, e.Errno);
    }

    [Fact]
    public void Reading_if_exists_gives_null_only_for_what_is_missing()
    {
        var path = temp.Combine("present");
        SmallFile.Write(path, "1 2\n");

        Assert.Equal("1 2\n", SmallFile.ReadIfExists(path));
        Assert.Null(SmallFile.ReadIfExists(temp.Combine("missing")));
        Assert.Null(SmallFile.ReadIfExists(temp.Combine("no", "such", "dir")));
        Assert.Null(SmallFile.ReadIfExists(Path.Combine(path, "below-a-file")));
        Assert.Equal(Errno.EISDIR, Assert.Throws<NativeException>(() => SmallFile.ReadIfExists(temp.Path)).Errno);
    }

    [Fact]
    public void A_file_that_never_ends_is_cut_off_at_the_cap()
    {
        var e = Assert.Throws<IOException>(() => SmallFile.Read("/dev/zero"));
        Assert.Contains("longer than", e.Message);
    }

    public void Dispose() => temp.Dispose();
}
