using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>The static escape prober (Probes/escape.c), compiled once per test class; run only as a container's PID 1.</summary>
public sealed class EscapeProbe : IDisposable
{
    private readonly TempDir dir = new("containode-probe");

    /// <summary>A folder holding the prober as "escape", to bind into a container.</summary>
    public string Directory => dir.Path;

    public static readonly string[] Checks =
    [
        "proc-sys-write", "sysrq-trigger", "sys-write", "kmsg", "mount-tmpfs", "mount-cgroup", "unshare-user", "unshare-net",
        "settime", "reboot", "keyctl", "open-by-handle", "name-to-handle", "kcore", "kallsyms",
    ];

    public EscapeProbe()
    {
        var source = Path.Combine(Repo.Root, "tests", "Containode.Tests", "Probes", "escape.c");
        Run.Command("gcc", "-static", "-O2", "-o", dir.Combine("escape"), source).EnsureSuccess();
    }

    /// <summary>The prober ran to its end, and every check of the list came back blocked.</summary>
    public static void AssertEveryAttemptBlocked(RunResult r)
    {
        Xunit.Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var check in Checks)
            Xunit.Assert.Contains(lines, l => l.StartsWith(check + " blocked ", StringComparison.Ordinal));
        Xunit.Assert.DoesNotContain("ESCAPED", r.Stdout);
    }

    public void Dispose() => dir.Dispose();
}
