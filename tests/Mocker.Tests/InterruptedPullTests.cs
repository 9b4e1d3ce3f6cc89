using Containet.TestSupport;
using Xunit;

namespace Mocker.Tests;

/// <summary>A pull killed half-way leaves no corrupt blob, and the next pull keeps every blob that completed.</summary>
public sealed class InterruptedPullTests : IDisposable
{
    private readonly TempDir dir = new("mocker-big");
    private readonly RegistryServer registry = new();

    public InterruptedPullTests()
    {
        var layout = dir.Combine("oci");
        Run.Command("umoci", "init", "--layout", layout).EnsureSuccess();
        Run.Command("umoci", "new", "--image", $"{layout}:big").EnsureSuccess();
        Run.Command("umoci", "unpack", "--image", $"{layout}:big", dir.Combine("bundle")).EnsureSuccess();
        for (var layer = 0; layer < 3; layer++)
        {
            var data = new byte[24 << 20];
            Random.Shared.NextBytes(data); // incompressible, so each layer takes a while to fetch
            File.WriteAllBytes(dir.Combine("bundle", "rootfs", $"blob{layer}"), data);
            Run.Command("umoci", "repack", "--image", $"{layout}:big", dir.Combine("bundle")).EnsureSuccess();
        }
        registry.Push(layout, "big", "library/big:latest");
    }

    // A temp file may be renamed into place between listing and looking at it.
    private static bool Started(string path)
    {
        try { return new FileInfo(path).Length > 0; }
        catch (FileNotFoundException) { return false; }
    }

    public void Dispose()
    {
        registry.Dispose();
        dir.Dispose();
    }

    [RootFact]
    public void Killing_a_pull_keeps_only_whole_verified_blobs_and_the_next_pull_finishes()
    {
        using var mocker = new MockerProcess();
        var reference = $"{registry.Host}/library/big";
        using (var pull = ChildProcess.Start(Repo.Program("mocker"), ["--store", mocker.Store, "pull", reference], collect: true))
        {
            var tmp = Path.Combine(mocker.Store, "tmp");
            Eventually.True(() => Directory.Exists(tmp) && Directory.EnumerateFiles(tmp).Any(Started), "a layer download under way");
            pull.Kill();
        }

        var blobs = Path.Combine(mocker.Store, "blobs", "sha256");
        foreach (var blob in Directory.GetFiles(blobs))
            Assert.Equal(Path.GetFileName(blob), Run.Command("sha256sum", blob).EnsureSuccess().Stdout[..64]);
        var kept = Directory.GetFiles(blobs).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Empty(Directory.GetDirectories(Path.Combine(mocker.Store, "rootfs")));

        var again = mocker.Run("pull", reference);

        Assert.True(again.ExitCode == 0, again.Stderr);
        foreach (var (file, time) in kept) Assert.Equal(time, File.GetLastWriteTimeUtc(file));
        Assert.Equal(24 << 20, new FileInfo(Path.Combine(mocker.Run("rootfs", reference).EnsureSuccess().Stdout.Trim(), "blob2")).Length);
        mocker.Run("prune").EnsureSuccess();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
    }

    [RootFact]
    public void Sigterm_cancels_a_pull_which_cleans_up_and_says_so()
    {
        using var mocker = new MockerProcess();
        using var pull = ChildProcess.Start(Repo.Program("mocker"), ["--store", mocker.Store, "pull", $"{registry.Host}/library/big"], collect: true);
        var tmp = Path.Combine(mocker.Store, "tmp");
        Eventually.True(() => Directory.Exists(tmp) && Directory.EnumerateFiles(tmp).Any(Started), "a layer download under way");

        pull.Signal(Containet.Native.Signal.Term);

        Assert.True(pull.WaitForExit(20_000), "mocker must stop soon after SIGTERM");
        var stderr = pull.Stderr;
        Assert.True(pull.ExitCode == 130, $"exit {pull.ExitCode}: {stderr}");
        Assert.Contains("interrupted; completed blobs are kept", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Empty(Directory.GetDirectories(Path.Combine(mocker.Store, "rootfs")));
    }
}
