using System.Globalization;
using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>
/// A user made for one test class with useradd (a unique name, a home, and the /etc/subuid and /etc/subgid ranges
/// useradd gives), removed with its home and ranges in Dispose, also when a test failed. It owns a busybox root
/// in its home, and runs containode as itself (runuser), without sudo.
/// </summary>
public sealed class UnprivilegedUser : IDisposable
{
    public string Name { get; } = "ctn" + Unique.Name();
    public string Home => "/home/" + Name;
    public uint Uid { get; }
    public string RootPath => Path.Combine(Home, "rootfs");

    public UnprivilegedUser()
    {
        Run.Command("useradd", "-m", "-s", "/bin/sh", Name).EnsureSuccess();
        try
        {
            Uid = uint.Parse(Run.Command("id", "-u", Name).EnsureSuccess().Stdout.Trim(), CultureInfo.InvariantCulture);
            Run.Command("bash", Path.Combine(Repo.Root, "scripts", "busybox-root.sh"), RootPath).EnsureSuccess();
            Run.Command("chown", "-R", Name + ":" + Name, RootPath).EnsureSuccess();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string SubordinateStart => File.ReadLines("/etc/subuid").First(l => l.StartsWith(Name + ":", StringComparison.Ordinal)).Split(':')[1];

    /// <summary>Takes the user's subordinate ranges away, as on a host that grants none.</summary>
    public void DropSubordinateRanges()
    {
        var start = uint.Parse(SubordinateStart, CultureInfo.InvariantCulture);
        var range = $"{start}-{start + 65535}";
        Run.Command("usermod", "--del-subuids", range, "--del-subgids", range, Name).EnsureSuccess();
    }

    /// <summary>containode as this user, with a login's HOME and no XDG_RUNTIME_DIR (runuser sets none).</summary>
    public RunResult Containode(params string[] args) => Containode([], args);

    /// <summary>containode as this user, with <paramref name="env"/> given to env(1) (options such as -u NAME first, then NAME=VALUE).</summary>
    public RunResult Containode(string[] env, params string[] args) =>
        Run.Command("runuser", ["-u", Name, "--", "env", .. env, "HOME=" + Home, Repo.Program("containode"), .. args], TimeSpan.FromSeconds(60));

    /// <summary>The user's run dirs left behind (none once every container ended).</summary>
    public string[] LeftRunDirectories()
    {
        var dir = $"/tmp/containet-{Uid}/containers";
        return Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir) : [];
    }

    public void Dispose()
    {
        Run.Command("userdel", "-r", "-f", Name);
        if (Uid != 0 && Directory.Exists($"/tmp/containet-{Uid}")) Directory.Delete($"/tmp/containet-{Uid}", recursive: true);
    }
}
