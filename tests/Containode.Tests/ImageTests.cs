using Containet.TestSupport;
using Mocker.Tests;
using Xunit;

namespace Containode.Tests;

/// <summary>
/// An image with a Cmd, an Env and a WorkingDir, built with umoci from the busybox root (with /home/app owned by
/// 1000:1001) and pushed to a real registry on 127.0.0.1.
/// </summary>
public sealed class AppImage : IDisposable
{
    private readonly TempDir dir = new("containode-image");
    public RegistryServer Registry { get; } = new();
    public string Reference => $"{Registry.Host}/test/app:1";

    public AppImage()
    {
        var layout = dir.Combine("oci");
        Run.Command("umoci", "init", "--layout", layout).EnsureSuccess();
        Run.Command("umoci", "new", "--image", layout + ":app").EnsureSuccess();
        Run.Command("umoci", "config", "--image", layout + ":app", "--architecture", "amd64", "--os", "linux",
            "--config.cmd", "/bin/sh", "--config.cmd", "-c", "--config.cmd", "echo $GREETING from $(pwd)",
            "--config.env", "GREETING=hello", "--config.workingdir", "/tmp").EnsureSuccess();
        var bundle = dir.Combine("bundle");
        Run.Command("umoci", "unpack", "--image", layout + ":app", bundle).EnsureSuccess();
        Run.Command("bash", Path.Combine(Repo.Root, "scripts", "busybox-root.sh"), Path.Combine(bundle, "rootfs")).EnsureSuccess();
        // A user's files, as an image's non-root owners: a user's pull maps them into the subordinate ids.
        Run.Shell($"cd {bundle}/rootfs && mkdir -p home/app && echo note > home/app/note && chown -R 1000:1001 home/app && chmod 750 home/app && chmod 640 home/app/note").EnsureSuccess();
        Run.Command("umoci", "repack", "--image", layout + ":app", bundle).EnsureSuccess();
        Registry.Push(layout, "app", "test/app:1");
    }

    public void Dispose()
    {
        Registry.Dispose();
        dir.Dispose();
    }
}

/// <summary>containode run IMAGE with mocker's store, and mocker keeping what containers use.</summary>
public sealed class ImageTests(AppImage image) : IClassFixture<AppImage>
{
    private static RunResult Mocker(params string[] args) => Run.Command(Repo.Program("mocker"), args, TimeSpan.FromSeconds(60));

    [RootFact]
    public void Run_image_pulls_it_and_uses_its_cmd_env_and_working_dir_and_a_command_replaces_cmd()
    {
        using var a = new Named();
        using var b = new Named();
        var first = Containers.Run("run", "--rm", "--name", a, image.Reference);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal("hello from /tmp\n", first.Stdout);
        Assert.Contains(image.Reference, Mocker("images").EnsureSuccess().Stdout);

        var second = Containers.Run("run", "--rm", "--name", b, "-e", "GREETING=hi", image.Reference, "/bin/sh", "-c", "echo $GREETING; pwd");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal("hi\n/tmp\n", second.Stdout);
    }

    [RootFact]
    public void Mocker_rm_refuses_an_image_in_use_and_prune_keeps_its_tree_and_every_top()
    {
        using var c = new Named();
        Containers.Run("run", "-d", "--name", c, image.Reference, "/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done").EnsureSuccess();
        var root = File.ReadAllLines(Path.Combine(c.Lib, "image")).Single(l => l.StartsWith("root=", StringComparison.Ordinal))[5..];
        var handTop = root + ".mine"; // a TOP a user put beside the tree, as ROOT.ID once was
        Directory.CreateDirectory(Path.Combine(handTop, "root"));
        try
        {
            var refused = Mocker("rm", image.Reference);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(c.Name, refused.Stderr);

            Mocker("rm", "-f", image.Reference).EnsureSuccess();
            Mocker("prune").EnsureSuccess();

            Assert.True(Directory.Exists(Path.Combine(root, "bin")), "the running container's lower dir stays");
            Assert.True(Directory.Exists(handTop), "prune touches nothing that is not its own");
            Assert.Equal(0, Containers.Run("exec", c, "/bin/ls", "/bin/sh").ExitCode);

            Containers.Run("rm", "-f", c).EnsureSuccess();
            Mocker("prune").EnsureSuccess();
            Assert.False(Directory.Exists(root), "once no container uses it, prune removes the tree");
        }
        finally
        {
            Directory.Delete(handTop, recursive: true);
        }
    }
}
