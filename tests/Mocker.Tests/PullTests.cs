using Containet.TestSupport;
using Mocker.References;
using Xunit;

namespace Mocker.Tests;

/// <summary>Pulls from a real registry on 127.0.0.1.</summary>
public sealed class PullTests(PushedImages pushed) : IClassFixture<PushedImages>
{
    private string Ref(string name) => $"{pushed.Registry.Host}/library/{name}";

    [RootFact]
    public void Pulls_verifies_and_runs_in_containode()
    {
        using var mocker = new MockerProcess();
        var pull = mocker.Run("pull", Ref("busybox"));
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains("Digest: sha256:", pull.Stderr);

        var rootfs = mocker.Run("rootfs", Ref("busybox")).EnsureSuccess().Stdout.Trim();
        Assert.StartsWith(mocker.Store, rootfs);
        using var top = new TempDir("mocker-top");
        using var state = new TempDir("mocker-containode-state");
        // The container's record and run dir go to a folder of the test's, not the machine's, also if it fails.
        var run = Run.Command(Repo.Program("containode"), ["--rm", "-r", rootfs, "-t", top.Path, "/bin/busybox", "echo", "hello from the registry"],
            env: new Dictionary<string, string> { ["CONTAINET_RUN_DIR"] = state.Combine("run"), ["CONTAINET_LIB_DIR"] = state.Combine("lib") });
        Assert.Equal("hello from the registry\n", run.Stdout);
    }

    [RootFact]
    public void A_warm_repull_downloads_no_layer()
    {
        using var mocker = new MockerProcess();
        mocker.Run("pull", Ref("layered")).EnsureSuccess();
        var blobs = Directory.GetFiles(Path.Combine(mocker.Store, "blobs", "sha256")).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = mocker.Run("pull", Ref("layered")).EnsureSuccess();

        Assert.DoesNotContain("downloaded", again.Stderr);
        Assert.Contains("already stored", again.Stderr);
        foreach (var (file, time) in blobs) Assert.Equal(time, File.GetLastWriteTimeUtc(file));
    }

    [RootFact]
    public void Layers_apply_whiteouts_and_hard_links_to_lower_layers()
    {
        using var mocker = new MockerProcess();
        mocker.Run("pull", Ref("layered")).EnsureSuccess();
        var rootfs = mocker.Run("rootfs", Ref("layered")).EnsureSuccess().Stdout.Trim();

        Assert.Equal("layer two\n", File.ReadAllText(Path.Combine(rootfs, "etc", "motd")));
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "hosts")), "the whiteout must remove the lower layer's file");
        Assert.True(File.Exists(Path.Combine(rootfs, "etc", "passwd")));
        Assert.Equal(Inode(Path.Combine(rootfs, "bin", "busybox")), Inode(Path.Combine(rootfs, "bin", "bb-hardlink")));
    }

    [RootFact]
    public void The_tree_matches_what_umoci_unpacks()
    {
        using var mocker = new MockerProcess();
        mocker.Run("pull", Ref("layered")).EnsureSuccess();
        var ours = mocker.Run("rootfs", Ref("layered")).EnsureSuccess().Stdout.Trim();
        using var dir = new TempDir("mocker-umoci");
        Run.Command("umoci", "unpack", "--image", $"{pushed.Images.Layout}:layered", dir.Combine("bundle")).EnsureSuccess();

        Assert.Equal(Listing(dir.Combine("bundle", "rootfs")), Listing(ours));
    }

    [RootFact]
    public void An_index_yields_the_requested_platform_or_lists_what_there_is()
    {
        using var mocker = new MockerProcess();
        mocker.Run("pull", "--platform", "linux/arm64", Ref("multi")).EnsureSuccess();
        var rootfs = mocker.Run("rootfs", Ref("multi")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("arm64\n", File.ReadAllText(Path.Combine(rootfs, "which")));

        var missing = mocker.Run("pull", "--platform", "linux/s390x", Ref("multi"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no image for platform linux/s390x", missing.Stderr);
        Assert.Contains("linux/amd64", missing.Stderr);
        Assert.Contains("linux/arm64", missing.Stderr);
    }

    [RootFact]
    public void A_platform_asked_for_that_the_image_is_not_for_is_refused_before_any_layer_is_applied()
    {
        using var mocker = new MockerProcess();

        var pull = mocker.Run("pull", "--platform", "linux/arm64", Ref("busybox"));

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"mocker: {Ref("busybox")}:latest is an image for linux/amd64, not for linux/arm64 as --platform asks", pull.Stderr);
        Assert.DoesNotContain(Ref("busybox"), mocker.Run("images").EnsureSuccess().Stdout);
        Assert.Empty(Directory.GetDirectories(Path.Combine(mocker.Store, "rootfs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
        mocker.Run("pull", "--platform", "linux/amd64", Ref("busybox")).EnsureSuccess();
    }

    [RootFact]
    public void An_image_for_another_platform_pulled_by_default_comes_with_a_warning_and_its_own_platform()
    {
        // The index's single-platform parts, as an image built for one machine is pushed.
        var foreign = Platform.Host.Architecture == "amd64" ? ("multi:arm64", "linux/arm64") : ("multi:amd64", "linux/amd64");
        using var mocker = new MockerProcess();

        var pull = mocker.Run("pull", Ref(foreign.Item1));

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains($"mocker: warning: {Ref(foreign.Item1)} is an image for {foreign.Item2}, not for this machine's {Platform.Host}", pull.Stderr);
        Assert.Contains($"\"platform\": \"{foreign.Item2}\"", mocker.Run("images", "--json").EnsureSuccess().Stdout);
    }

    [RootFact]
    public void Unknown_images_and_bad_references_fail_clearly()
    {
        using var mocker = new MockerProcess();
        var missing = mocker.Run("pull", Ref("nosuch"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"image not found: {Ref("nosuch")}:latest", missing.Stderr);
        Assert.Equal(2, mocker.Run("pull", "UPPER/Case").ExitCode);
        var notPulled = mocker.Run("rootfs", Ref("busybox"));
        Assert.Equal(1, notPulled.ExitCode);
        Assert.Contains("mocker pull", notPulled.Stderr);
    }

    [RootFact]
    public void A_store_that_cannot_be_made_is_an_error_in_words()
    {
        using var mocker = new MockerProcess();
        File.WriteAllText(mocker.Store, "a file where the store should be");
        var pull = mocker.Run("pull", Ref("busybox"));
        Assert.Equal(1, pull.ExitCode);
        // The runtime's own message, not a resource key (a trimmed build can drop them).
        Assert.Contains($"The file '{mocker.Store}' already exists", pull.Stderr);
        Assert.Contains("give another with --store DIR or MOCKER_STORE=DIR", pull.Stderr);
    }

    [RootFact]
    public void Images_rm_and_prune()
    {
        using var mocker = new MockerProcess();
        mocker.Run("pull", Ref("busybox")).EnsureSuccess();
        Assert.Contains(Ref("busybox") + ":latest", mocker.Run("images").EnsureSuccess().Stdout);
        Assert.Contains("\"reference\"", mocker.Run("images", "--json").EnsureSuccess().Stdout);

        mocker.Run("rm", Ref("busybox")).EnsureSuccess();
        var prune = mocker.Run("prune").EnsureSuccess();

        Assert.DoesNotContain(Ref("busybox"), mocker.Run("images").Stdout);
        Assert.Empty(Directory.GetFiles(Path.Combine(mocker.Store, "blobs", "sha256")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(mocker.Store, "rootfs")));
        Assert.Contains("Deleted", prune.Stdout);
    }

    [RootFact]
    public void Two_pulls_of_one_image_at_once_share_the_store_safely()
    {
        using var mocker = new MockerProcess();
        var pulls = Enumerable.Range(0, 3).Select(_ => Task.Run(() => mocker.Run("pull", "-q", Ref("layered")))).ToArray();
        Task.WaitAll(pulls);

        Assert.All(pulls, p => Assert.True(p.Result.ExitCode == 0, p.Result.Stderr));
        Assert.Single(pulls.Select(p => p.Result.Stdout.Trim()).Distinct());
        Assert.Single(Directory.GetDirectories(Path.Combine(mocker.Store, "rootfs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
    }

    private static string Listing(string root) => string.Join('\n',
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p) + " " + Describe(p)).Order(StringComparer.Ordinal));

    private static string Describe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target) return "-> " + target;
        if (Directory.Exists(path)) return "dir " + Convert.ToString((int)File.GetUnixFileMode(path), 8);
        return $"{info.Length} {Convert.ToString((int)File.GetUnixFileMode(path), 8)}";
    }

    private static string Inode(string path) =>
        Run.Command("stat", "-c", "%i", path).EnsureSuccess().Stdout.Trim();
}
