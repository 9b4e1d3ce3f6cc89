using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Containode.Tests;

/// <summary>An ordinary user runs containers without sudo: their uid is root inside, and what needs root is refused.</summary>
public sealed class RootlessTests(EscapeProbe probe) : IClassFixture<EscapeProbe>, IDisposable
{
    private readonly UnprivilegedUser user = new();

    [RootFact]
    public void Every_escape_attempt_fails_without_root()
    {
        var r = user.Containode("-r", user.RootPath, "-v", probe.Directory + ":/probe:ro", "/probe/escape");

        EscapeProbe.AssertEveryAttemptBlocked(r);
    }

    [RootFact]
    public void A_state_directory_another_user_made_first_is_refused()
    {
        var taken = $"/tmp/containet-{user.Uid}";
        Directory.CreateDirectory(taken);
        var r = user.Containode("-r", user.RootPath, "/bin/true");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{taken} is not a directory of yours", r.Stderr);
        Assert.Equal("0", Run.Command("stat", "-c", "%u", taken).Stdout.Trim());
    }

    [RootFact]
    public void A_user_is_root_inside_with_their_subordinate_ids_mapped()
    {
        var r = user.Containode("-r", user.RootPath, "-i", "rl" + Unique.Name(), "/bin/sh", "-c",
            "id -u; cat /proc/self/uid_map; echo made > /made; ls -ln /bin/busybox");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0]);
        Assert.Equal(["0", user.Uid.ToString(), "1"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1", user.SubordinateStart, "65536"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(" 0        0 ", lines[3]);
        var made = Directory.GetFiles(Path.Combine(user.Home, ".local", "share", "containet", "containers"), "made", SearchOption.AllDirectories);
        Assert.Single(made);
        Assert.Equal(user.Uid.ToString(), Run.Command("stat", "-c", "%u", made[0]).Stdout.Trim());
        Assert.Contains("no limits are applied", r.Stderr);
        Assert.Empty(user.LeftRunDirectories());
    }

    [RootTheory]
    [InlineData("-m", "64m")]
    [InlineData("--cgroup-parent", "mine")]
    [InlineData("--storage-opt", "size=16m")]
    public void Resource_limits_are_refused_without_root_before_anything_is_made(string option, string value)
    {
        var r = user.Containode("-r", user.RootPath, option, value, "/bin/true");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("which containode makes only as root", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(user.LeftRunDirectories());
    }

    [RootFact]
    public void Without_subordinate_ranges_only_the_users_own_id_is_mapped()
    {
        user.DropSubordinateRanges();
        var r = user.Containode("-r", user.RootPath, "/bin/sh", "-c", "cat /proc/self/uid_map /proc/self/setgroups; id -u");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", user.Uid.ToString(), "1"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["deny", "0"], lines[1..]);
    }

    [RootFact]
    public void The_secure_defaults_and_a_time_namespace_apply_without_root()
    {
        var r = user.Containode("--timens", "-r", user.RootPath, "/bin/sh", "-c", "grep -E '^(CapEff|Seccomp):' /proc/self/status; cat /proc/uptime");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("CapEff:\t00000000a80425fb", r.Stdout);
        Assert.Contains("Seccomp:\t2", r.Stdout);
        Assert.True(double.Parse(r.Stdout.Split('\n')[2].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) < 5, r.Stdout);
    }

    [RootFact]
    public void What_needs_root_is_refused_with_the_reason()
    {
        using var secret = new TempDir("containode-secret");
        File.SetUnixFileMode(secret.Path, (UnixFileMode)Mode.O700);

        var privileged = user.Containode("--privileged", "-r", user.RootPath, "/bin/true");
        var unreadable = user.Containode("-v", secret.Path + ":/secret", "-r", user.RootPath, "/bin/true");
        var plain = user.Containode("-r", user.RootPath, "/bin/true");

        Assert.Equal(1, privileged.ExitCode);
        Assert.Contains("--privileged cannot work without root", privileged.Stderr);
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains($"you cannot read {secret.Path}", unreadable.Stderr);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
    }

    public void Dispose() => user.Dispose();
}
