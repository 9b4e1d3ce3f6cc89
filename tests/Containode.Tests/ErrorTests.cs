using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Errors a user must understand: one clear line, a non-zero status, nothing left behind.</summary>
public sealed class ErrorTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    private static void AssertOneLine(RunResult r, int status, string text)
    {
        Assert.Equal(status, r.ExitCode);
        Assert.Contains(text, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [RootFact]
    public void What_needs_root_without_it() =>
        AssertOneLine(Run.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Repo.Program("containode"), "--privileged", "/bin/true"), 1,
            "--privileged cannot work without root");

    [RootFact]
    public void Root_missing_or_not_a_directory()
    {
        AssertOneLine(Containers.Run("-r", "/nonexistent/root", "/bin/true"), 1, "does not exist");
        AssertOneLine(Containers.Run("-r", "/etc/passwd", "/bin/true"), 1, "is not a directory");
    }

    [RootTheory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1/40")]
    [InlineData("banana")]
    public void A_bad_address_is_bad_usage(string address) =>
        AssertOneLine(Containers.Run("-r", root.Path, "-4", address, "/bin/true"), 2, address);

    [RootFact]
    public void A_missing_switch_socket()
    {
        var top = root.NewTop();
        AssertOneLine(Containers.Run("-r", root.Path, "-t", top, "-s", "/nonexistent/sw.sock", "-4", "10.0.0.2/24", "/bin/true"), 1, "no switch is listening");
    }

    [RootFact]
    public void A_top_in_use_by_a_running_container()
    {
        var top = root.NewTop();
        using var first = Containers.Start("-r", root.Path, "-t", top, "--init", "/bin/sleep", "60");
        Containers.FirstProcess(first);
        AssertOneLine(Containers.Run("-r", root.Path, "-t", top, "/bin/true"), 1, "in use by another running container");
    }

    [RootFact]
    public void A_missing_bind_mount_source() =>
        AssertOneLine(Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", "/nonexistent/src:/mnt", "/bin/true"), 1, "does not exist");

    [RootFact]
    public void No_command_and_unknown_flags_are_bad_usage()
    {
        Assert.Equal(2, Containers.Run("-r", root.Path).ExitCode);
        Assert.Equal(2, Containers.Run("--no-such-flag", "/bin/true").ExitCode);
        var help = Containers.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--gateway", help.Stdout);
    }
}
