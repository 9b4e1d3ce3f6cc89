using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>Test images built offline with umoci from the busybox root the other tests use.</summary>
public sealed class TestImages : IDisposable
{
    public TempDir Dir { get; } = new("mocker-images");
    public string Layout => Dir.Combine("oci");

    public TestImages()
    {
        Run.Command("umoci", "init", "--layout", Layout).EnsureSuccess();
        Build("busybox", "amd64", bundle => Run.Command("bash", Path.Combine(Repo.Root, "scripts", "busybox-root.sh"), Path.Combine(bundle, "rootfs")).EnsureSuccess());
        // A second layer on top: a file, a whiteout of a lower file, and a hard link to a lower file.
        Run.Command("umoci", "unpack", "--image", $"{Layout}:busybox", Dir.Combine("b2")).EnsureSuccess();
        File.WriteAllText(Dir.Combine("b2", "rootfs", "etc", "motd"), "layer two\n");
        File.Delete(Dir.Combine("b2", "rootfs", "etc", "hosts"));
        Run.Command("ln", Dir.Combine("b2", "rootfs", "bin", "busybox"), Dir.Combine("b2", "rootfs", "bin", "bb-hardlink")).EnsureSuccess();
        Run.Command("umoci", "repack", "--image", $"{Layout}:layered", Dir.Combine("b2")).EnsureSuccess();
        Build("arm", "arm64", bundle => File.WriteAllText(Path.Combine(bundle, "rootfs", "which"), "arm64\n"));
    }

    private void Build(string tag, string arch, Action<string> fill)
    {
        Run.Command("umoci", "new", "--image", $"{Layout}:{tag}").EnsureSuccess();
        Run.Command("umoci", "config", "--image", $"{Layout}:{tag}", "--architecture", arch, "--os", "linux").EnsureSuccess();
        var bundle = Dir.Combine("bundle-" + tag);
        Run.Command("umoci", "unpack", "--image", $"{Layout}:{tag}", bundle).EnsureSuccess();
        fill(bundle);
        Run.Command("umoci", "repack", "--image", $"{Layout}:{tag}", bundle).EnsureSuccess();
    }

    public void Dispose() => Dir.Dispose();
}
