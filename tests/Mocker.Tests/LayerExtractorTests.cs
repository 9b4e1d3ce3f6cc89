using System.Formats.Tar;
using Containet.TestSupport;
using Mocker.Extraction;
using Xunit;
using Containet.Native;

namespace Mocker.Tests;

/// <summary>Tar rules on layers made here with TarWriter, including hostile ones.</summary>
public sealed class LayerExtractorTests : IDisposable
{
    private readonly TempDir dir = new("mocker-layers");
    private string Root => dir.Combine("root");
    private string Outside => dir.Combine("outside");

    public LayerExtractorTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    public void Dispose() => dir.Dispose();

    private void Apply(params TarEntry[] entries)
    {
        using var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in entries) w.WriteEntry(e);
        tar.Position = 0;
        new LayerExtractor(Root).Apply(tar);
    }

    private static PaxTarEntry File(string name, string content, UnixFileMode mode = (UnixFileMode)Mode.O644) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = mode };

    private static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)Mode.O755 };

    private static PaxTarEntry Link(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };

    [Fact]
    public void A_whiteout_removes_only_what_lower_layers_had()
    {
        Apply(Dir("etc"), File("etc/old", "lower"), File("etc/keep", "lower"));
        Apply(File("etc/new", "same layer"), File("etc/.wh.old", ""), File("etc/.wh.new", ""));

        Assert.False(System.IO.File.Exists(Path.Combine(Root, "etc/old")));
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "etc/new")), "a file listed before its own whiteout in the same layer survives");
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "etc/keep")));
    }

    [Theory]
    [InlineData(".wh...")]
    [InlineData("data/.wh...")]
    [InlineData(".wh..")]
    [InlineData("data/.wh.")]
    [InlineData(".wh.")]
    public void A_whiteout_of_dot_dot_dot_or_of_nothing_is_refused(string name)
    {
        Apply(Dir("data"), File("data/keep", "lower"));

        var e = Assert.Throws<LayerException>(() => Apply(File(name, "")));

        Assert.Contains($"'{name}'", e.Message);
        Assert.Equal("lower", System.IO.File.ReadAllText(Path.Combine(Root, "data/keep")));
        Assert.True(Directory.Exists(Outside), "nothing beside the root may go");
    }

    [Fact]
    public void A_layer_ten_thousand_directories_deep_fails_fast_at_PATH_MAX()
    {
        // Written as it is read, through a pipe: the whole layer would be 100 MB of PAX names.
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        var writer = new Thread(() =>
        {
            using var client = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.Out, pipe.ClientSafePipeHandle);
            try
            {
                using var tar = new TarWriter(client, TarEntryFormat.Pax);
                var name = new System.Text.StringBuilder("d");
                for (var depth = 0; depth < 10_000; depth++, name.Append("/d")) tar.WriteEntry(Dir(name.ToString()));
            }
            catch (IOException)
            {
                // The extractor stopped reading: the pipe broke.
            }
        });
        writer.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<LayerException>(() => new LayerExtractor(Root).Apply(pipe));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 20); // about 1 s of CPU: each entry is placed from its parent, not resolved from the root
        Assert.Contains("4096", e.Message);
        pipe.Dispose();
        Assert.True(writer.Join(TimeSpan.FromSeconds(10)), "the writer must end once the pipe is closed");
    }

    [Fact]
    public void An_opaque_directory_hides_the_lower_contents()
    {
        Apply(Dir("d"), File("d/a", "1"), Dir("d/sub"), File("d/sub/b", "2"));
        Apply(Dir("d"), File("d/c", "3"), File("d/.wh..wh..opq", ""));

        Assert.Equal(["c"], Directory.EnumerateFileSystemEntries(Path.Combine(Root, "d")).Select(Path.GetFileName));
    }

    [Fact]
    public void Types_change_between_layers()
    {
        Apply(Dir("x"), File("x/inner", "1"), File("y", "file"));
        Apply(File("x", "now a file"), Dir("y"), File("y/inside", "2"));

        Assert.Equal("now a file", System.IO.File.ReadAllText(Path.Combine(Root, "x")));
        Assert.True(Directory.Exists(Path.Combine(Root, "y")));
    }

    [RootFact]
    public void Modes_owners_times_and_special_files_are_kept()
    {
        var time = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var setuid = File("bin/su", "x", (UnixFileMode)0xded /* 4755 */);
        setuid.Uid = 1234;
        setuid.Gid = 5678;
        setuid.ModificationTime = time;
        Apply(Dir("bin"), setuid, Dir("tmp"), new PaxTarEntry(TarEntryType.Fifo, "tmp/fifo") { Mode = (UnixFileMode)Mode.O644 },
            new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)Mode.O666 },
            Link(TarEntryType.SymbolicLink, "bin/link", "su"), new PaxTarEntry(TarEntryType.Directory, "sticky") { Mode = (UnixFileMode)Mode.O1777 });

        var su = Path.Combine(Root, "bin/su");
        Assert.Equal((UnixFileMode)0xded, System.IO.File.GetUnixFileMode(su));
        Assert.Equal("1234 5678", Run.Command("stat", "-c", "%u %g", su).Stdout.Trim());
        Assert.Equal(time.UtcDateTime, System.IO.File.GetLastWriteTimeUtc(su));
        Assert.Equal("fifo", Run.Command("stat", "-c", "%F", Path.Combine(Root, "tmp/fifo")).Stdout.Trim());
        Assert.Equal("1,3", Run.Command("stat", "-c", "%t,%T", Path.Combine(Root, "null")).Stdout.Trim());
        Assert.Equal("su", new FileInfo(Path.Combine(Root, "bin/link")).LinkTarget);
        Assert.Equal((UnixFileMode)Mode.O1777, System.IO.File.GetUnixFileMode(Path.Combine(Root, "sticky")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    public void Climbing_out_is_refused(string name) =>
        Assert.Throws<LayerException>(() => Apply(File(name, "evil")));

    [Fact]
    public void Absolute_names_land_inside_the_root()
    {
        Apply(File("/abs", "inside"));
        Assert.Equal("inside", System.IO.File.ReadAllText(Path.Combine(Root, "abs")));
    }

    [Fact]
    public void Writes_through_symlinks_stay_inside_the_root()
    {
        Apply(Link(TarEntryType.SymbolicLink, "abs", Outside), Link(TarEntryType.SymbolicLink, "rel", "../../../../" + Outside.TrimStart('/')));
        Apply(File("abs/evil", "1"), File("rel/evil", "2"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
        // Both links resolve, chroot-style, to the same place inside the root; the second write wins.
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Combine(Root, Outside.TrimStart('/'), "evil")));
    }

    [Fact]
    public void A_directory_replaced_by_a_symlink_in_the_same_layer_is_not_written_through()
    {
        // The extractor remembers directories it made; replacing one must make it look again.
        Apply(Dir("d"), File("d/a", "1"), Link(TarEntryType.SymbolicLink, "d", Outside), File("d/evil", "2"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
        Assert.Equal(Outside, new FileInfo(Path.Combine(Root, "d")).LinkTarget);
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Combine(Root, Outside.TrimStart('/'), "evil")));
    }

    [Fact]
    public void Hard_links_to_outside_are_resolved_inside_or_refused()
    {
        System.IO.File.WriteAllText(Path.Combine(Outside, "secret"), "host");
        Assert.Throws<LayerException>(() => Apply(Link(TarEntryType.HardLink, "stolen", Outside + "/secret")));
        Assert.Throws<LayerException>(() => Apply(Link(TarEntryType.HardLink, "stolen", "../outside/secret")));
        Assert.False(System.IO.File.Exists(Path.Combine(Root, "stolen")));
    }

    [Fact]
    public void Hard_links_reach_files_of_lower_layers()
    {
        Apply(File("lower", "shared"));
        Apply(Link(TarEntryType.HardLink, "upper", "lower"));
        Assert.Equal("shared", System.IO.File.ReadAllText(Path.Combine(Root, "upper")));
    }

    [Fact]
    public void Long_and_unicode_names()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-with-a-long-name", 8)) + "/fïlé-ünïcødé-名前";
        Apply(File(longName, "ok"));
        Assert.Equal("ok", System.IO.File.ReadAllText(Path.Combine(Root, longName)));
    }
}
