using System.Formats.Tar;
using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Mocker.Tests;

/// <summary>
/// The store is root's alone: an image's setuid-root binary, its device nodes and the blobs of private images
/// are out of reach of other users, while the trees keep the modes the image gives them.
/// </summary>
public sealed class StoreAccessTests
{
    private const UnixFileMode Private = (UnixFileMode)Mode.O700;

    // As user nobody, with no groups, setuid working (no no_new_privs) as in a login shell. Through a shell:
    // setpriv's own exec still has root's capabilities when it looks up the path.
    private static RunResult AsNobody(params string[] command) =>
        Run.Command("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "exec \"$@\"", "sh", .. command]);

    [RootFact]
    public void Nobody_cannot_run_or_read_anything_in_the_store_and_the_tree_keeps_its_modes()
    {
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, ScriptedRegistry.Layer(
            new PaxTarEntry(TarEntryType.Directory, "bin") { Mode = (UnixFileMode)Mode.O755 },
            new PaxTarEntry(TarEntryType.RegularFile, "bin/suid-root") { Mode = (UnixFileMode)0x9ed /* 4755 */, DataStream = File.OpenRead("/usr/bin/id") },
            new PaxTarEntry(TarEntryType.RegularFile, "readable") { Mode = (UnixFileMode)Mode.O644, DataStream = new MemoryStream("anyone\n"u8.ToArray()) }));
        using var mocker = new MockerProcess();
        mocker.Run("pull", registry.Reference).EnsureSuccess();
        var rootfs = mocker.Run("rootfs", registry.Reference).EnsureSuccess().Stdout.Trim();

        var suid = AsNobody(Path.Combine(rootfs, "bin", "suid-root"), "-u");
        Assert.NotEqual(0, suid.ExitCode);
        Assert.DoesNotContain("0", suid.Stdout);
        Assert.Contains("Permission denied", suid.Stderr);
        Assert.NotEqual(0, AsNobody("cat", Path.Combine(rootfs, "readable")).ExitCode);
        Assert.NotEqual(0, AsNobody("ls", mocker.Store).ExitCode);
        var blob = Directory.GetFiles(Path.Combine(mocker.Store, "blobs", "sha256"))[0];
        Assert.NotEqual(0, AsNobody("cat", blob).ExitCode);

        Assert.Equal(Private, File.GetUnixFileMode(mocker.Store));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(mocker.Store, "rootfs")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(mocker.Store, "tmp")));
        Assert.Equal((UnixFileMode)0x9ed, File.GetUnixFileMode(Path.Combine(rootfs, "bin", "suid-root")));
        Assert.Equal((UnixFileMode)Mode.O644, File.GetUnixFileMode(Path.Combine(rootfs, "readable")));
        Assert.Equal("anyone\n", File.ReadAllText(Path.Combine(rootfs, "readable")));
    }

    [RootFact]
    public void A_store_left_open_by_an_earlier_mocker_is_closed_by_the_next_command()
    {
        using var mocker = new MockerProcess();
        var open = (UnixFileMode)Mode.O755;
        foreach (var dir in (string[])["", "rootfs", "tmp"])
            Directory.CreateDirectory(Path.Combine(mocker.Store, dir), open);

        mocker.Run("images").EnsureSuccess();

        foreach (var dir in (string[])["", "rootfs", "tmp"])
            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(mocker.Store, dir)));
        Assert.NotEqual(0, AsNobody("ls", mocker.Store).ExitCode);
    }

    [RootFact]
    public void A_store_mocker_cannot_make_says_to_run_as_root_or_to_choose_another()
    {
        using var dir = new TempDir("mocker-locked");
        File.SetUnixFileMode(dir.Path, Private);
        var store = dir.Combine("store");

        foreach (var run in (RunResult[])[AsNobody(Repo.Program("mocker"), "--store", store, "images"), AsNobody("env", $"MOCKER_STORE={store}", Repo.Program("mocker"), "images")])
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Equal($"mocker: cannot make or open the image store {store}: permission denied; run mocker as root, or give it a store of your own with --store DIR or MOCKER_STORE=DIR\n", run.Stderr);
        }
        Assert.False(Directory.Exists(store));
    }
}
