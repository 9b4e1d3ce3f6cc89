using Containet.TestSupport;
using Xunit;
using Containet.Native;

namespace Mocker.Tests;

/// <summary>
/// Where logins are kept when there is no DOCKER_CONFIG: in HOME's .docker, and nowhere (an error naming
/// DOCKER_CONFIG) when HOME is unset or a folder mocker cannot read, never in the current folder. No registry is
/// asked: the login is refused before.
/// </summary>
public sealed class LoginPlaceTests
{
    private static void AssertRefused(RunResult login, string folder)
    {
        Assert.Equal(1, login.ExitCode);
        var line = Assert.Single(login.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mocker: ", line);
        Assert.Contains("set DOCKER_CONFIG", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [RootTheory]
    [InlineData(null)]
    [InlineData("/nonexistent/home")]
    [InlineData("relative/home")]
    public void Without_a_HOME_to_read_a_login_is_refused_and_written_nowhere(string? home)
    {
        using var mocker = new MockerProcess();
        using var folder = new TempDir("mocker-cwd");
        string[] login = ["login", "127.0.0.1:9", "-u", "alice", "--password-stdin"];

        var run = home is null
            ? mocker.RunWithout(["HOME", "DOCKER_CONFIG"], folder.Path, "pw\n", login)
            : Run.Command("env", ["-u", "DOCKER_CONFIG", "-C", folder.Path, $"HOME={home}", Repo.Program("mocker"), "--store", mocker.Store, .. login], stdin: "pw\n");

        AssertRefused(run, folder.Path);
        Assert.Contains(home is null ? "HOME is not set" : $"HOME ({home})", run.Stderr);
    }

    [RootFact]
    public void A_HOME_the_user_cannot_read_is_refused_too()
    {
        using var folder = new TempDir("mocker-cwd");
        File.SetUnixFileMode(folder.Path, (UnixFileMode)Mode.O777); // anyone may write here: mocker must not

        // /root is root's alone (0700).
        var run = Run.Command("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "env", "-u", "DOCKER_CONFIG", "-C", folder.Path,
            "HOME=/root", Repo.Program("mocker"), "--store", Path.Combine(folder.Path, "store"), "logout", "127.0.0.1:9"]);

        AssertRefused(run, folder.Path);
        Assert.Contains("HOME (/root) is not a folder mocker can read", run.Stderr);
    }
}
