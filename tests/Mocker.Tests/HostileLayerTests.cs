using System.Formats.Tar;
using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Mocker.Tests;

/// <summary>Layers made to hurt the store: each pull fails cleanly, names the layer, and leaves nothing behind in tmp/.</summary>
public sealed class HostileLayerTests
{
    private static PaxTarEntry Zeros(string name, int bytes) =>
        new(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)Mode.O644, DataStream = new MemoryStream(new byte[bytes]) };

    private static void AssertNothingKept(MockerProcess mocker)
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "rootfs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "refs")));
    }

    [RootFact]
    public void A_whiteout_of_dot_dot_is_refused_and_another_pulls_work_survives()
    {
        var layer = ScriptedRegistry.Layer(Zeros("keep", 10), new PaxTarEntry(TarEntryType.RegularFile, ".wh..."));
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, layer);
        using var mocker = new MockerProcess();
        var other = Path.Combine(mocker.Store, "tmp", "another-pull-in-progress");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, "mine");

        var pull = mocker.Run("pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"layer {ScriptedRegistry.Digest(layer)}", pull.Stderr);
        Assert.Contains("'.wh...'", pull.Stderr);
        Assert.Equal("mine", File.ReadAllText(other));
        File.Delete(other);
        AssertNothingKept(mocker);
    }

    [RootFact]
    public void A_bomb_layer_stops_at_the_unpacked_size_limit_and_a_layer_under_it_unpacks()
    {
        var bomb = ScriptedRegistry.Layer(Zeros("zeros", 16 << 20));
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, bomb);
        using var mocker = new MockerProcess();
        var notASize = mocker.Run("pull", "--max-unpacked-size=lots", registry.Reference);
        Assert.Equal(2, notASize.ExitCode);
        Assert.Contains("'lots' is not a size", notASize.Stderr);
        Assert.Empty(registry.Asked);

        var pull = mocker.Run("pull", "--max-unpacked-size=1M", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"layer {ScriptedRegistry.Digest(bomb)}", pull.Stderr);
        Assert.Contains("more than 1.0 MB", pull.Stderr);
        AssertNothingKept(mocker);

        mocker.Run("pull", "--max-unpacked-size=17M", registry.Reference).EnsureSuccess();
        var rootfs = mocker.Run("rootfs", registry.Reference).EnsureSuccess().Stdout.Trim();
        Assert.Equal(16 << 20, new FileInfo(Path.Combine(rootfs, "zeros")).Length);
    }

    // mocker pulls into a store on a 16 MiB tmpfs of a private mount namespace, then lists what tmp/ and rootfs/ kept.
    private static RunResult PullOnSmallDisk(string reference)
    {
        using var dir = new TempDir("mocker-full");
        var store = dir.Combine("store");
        var script = $"""
            mount -t tmpfs -o size=16m mocker-full "{dir.Path}" || exit 99
            "{Repo.Program("mocker")}" --store "{store}" pull --max-unpacked-size=1G "{reference}"
            status=$?
            echo "left in tmp: [$(ls -A "{store}/tmp")]"
            echo "left in rootfs: [$(ls -A "{store}/rootfs")]"
            exit $status
            """;
        return Run.Command("unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script], TimeSpan.FromSeconds(60));
    }

    [RootFact]
    public void Unpacking_stops_before_the_disk_is_full()
    {
        var bomb = ScriptedRegistry.Layer(Zeros("zeros", 64 << 20));
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, bomb);

        var pull = PullOnSmallDisk(registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"layer {ScriptedRegistry.Digest(bomb)}", pull.Stderr);
        Assert.Contains("of space to spare", pull.Stderr);
        Assert.Contains("left in tmp: []", pull.Stdout);
        Assert.Contains("left in rootfs: []", pull.Stdout);
    }

    [RootFact]
    public void Blobs_larger_than_the_free_space_are_not_downloaded()
    {
        var big = new byte[20 << 20];
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, big);

        var pull = PullOnSmallDisk(registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("not enough free space", pull.Stderr);
        Assert.Contains("20.0 MB", pull.Stderr);
        Assert.DoesNotContain(registry.Asked, p => p.Contains("/blobs/", StringComparison.Ordinal));
        Assert.Contains("left in tmp: []", pull.Stdout);
    }
}
