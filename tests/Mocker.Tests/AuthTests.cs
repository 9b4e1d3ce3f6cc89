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

/// <summary>distribution's token mode with a token service of the test's own: the Bearer challenge flow.</summary>
public sealed class TokenAuthTests : IDisposable
{
    private readonly TestImages images = new();
    private readonly TokenService tokens = new("bob", "hunter2");
    private readonly RegistryServer registry;

    public TokenAuthTests()
    {
        registry = new RegistryServer(tokens);
        registry.Push(images.Layout, "busybox", "team/app:1", creds: "bob:hunter2");
    }

    public void Dispose()
    {
        registry.Dispose();
        tokens.Dispose();
        images.Dispose();
    }

    [RootFact]
    public void Pulls_with_a_bearer_token_after_login_and_reuses_it()
    {
        using var mocker = new MockerProcess();
        var reference = $"{registry.Host}/team/app:1";

        var anonymous = mocker.Run("pull", reference);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("refused an anonymous login", anonymous.Stderr);

        mocker.RunWithInput("hunter2\n", "login", registry.Host, "-u", "bob", "--password-stdin").EnsureSuccess();
        var before = tokens.Requests;
        var pull = mocker.Run("pull", reference);

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        // One token for the repository scope serves the manifest, the config and every layer.
        Assert.Equal(1, tokens.Requests - before);
    }

    [RootFact]
    public void A_token_the_registry_refuses_is_not_fetched_over_and_over_and_the_pull_fails_in_words()
    {
        using var mocker = new MockerProcess();
        var reference = $"{registry.Host}/team/app:1";
        mocker.RunWithInput("hunter2\n", "login", registry.Host, "-u", "bob", "--password-stdin").EnsureSuccess();
        tokens.GrantNothing = true;
        var before = tokens.Requests;

        var pull = mocker.Run("pull", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"access denied to {reference}", pull.Stderr);
        Assert.InRange(tokens.Requests - before, 1, 2);
    }
}
