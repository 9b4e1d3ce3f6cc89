using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>A busybox root filesystem built once per test class from Debian's busybox-static.</summary>
public sealed class BusyboxRoot : IDisposable
{
    private readonly TempDir dir = new("containode-root");

    public string Path { get; }

    public BusyboxRoot()
    {
        Path = dir.Combine("rootfs");
        Run.Command("bash", System.IO.Path.Combine(Repo.Root, "scripts", "busybox-root.sh"), Path).EnsureSuccess();
    }

    /// <summary>A fresh TOP beside the root, so the root stays untouched between tests.</summary>
    public string NewTop() => dir.Combine("top-" + Unique.Name());

    public void Dispose() => dir.Dispose();
}
