using Xunit;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>A registry in htpasswd (Basic) mode, with logins kept in a Docker config folder of the test's own.</summary>
public sealed class AuthTests : IDisposable
{
    private readonly TestImages images = new();
    private readonly RegistryServer registry = new("alice", "s3cret");

    public AuthTests() => registry.Push(images.Layout, "busybox", "private/app:1", creds: "alice:s3cret");

    public void Dispose()
    {
        registry.Dispose();
        images.Dispose();
    }

    [RootFact]
    public void Login_pull_and_logout_with_basic_auth()
    {
        using var mocker = new MockerProcess();
        var reference = $"{registry.Host}/private/app:1";

        var anonymous = mocker.Run("pull", reference);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("access denied", anonymous.Stderr);

        var wrong = mocker.RunWithInput("wrong\n", "login", registry.Host, "-u", "alice", "--password-stdin");
        Assert.Equal(1, wrong.ExitCode);
        Assert.False(File.Exists(Path.Combine(mocker.DockerConfig, "config.json")) && File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")).Contains(registry.Host));

        mocker.RunWithInput("s3cret\n", "login", registry.Host, "-u", "alice", "--password-stdin").EnsureSuccess();
        Assert.Contains(Convert.ToBase64String("alice:s3cret"u8), File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
        mocker.Run("pull", reference).EnsureSuccess();

        mocker.Run("logout", registry.Host).EnsureSuccess();
        Assert.DoesNotContain(registry.Host, File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
    }
}
