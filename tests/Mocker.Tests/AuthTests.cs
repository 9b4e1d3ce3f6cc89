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
        Assert.Equal($"mocker: invalid username or password for {registry.Host}\n", wrong.Stderr);
        Assert.False(File.Exists(Path.Combine(mocker.DockerConfig, "config.json")) && File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")).Contains(registry.Host));

        mocker.RunWithInput("s3cret\n", "login", registry.Host, "-u", "alice", "--password-stdin").EnsureSuccess();
        Assert.Contains(Convert.ToBase64String("alice:s3cret"u8), File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
        mocker.Run("pull", reference).EnsureSuccess();

        mocker.Run("logout", registry.Host).EnsureSuccess();
        Assert.DoesNotContain(registry.Host, File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
    }

    [RootFact]
    public void A_registry_given_as_a_url_is_its_host_as_docker_login_takes_it()
    {
        using var mocker = new MockerProcess();

        mocker.RunWithInput("s3cret\n", "login", $"http://{registry.Host}", "-u", "alice", "--password-stdin").EnsureSuccess();

        var config = File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json"));
        Assert.Contains($"\"{registry.Host}\"", config);
        Assert.DoesNotContain("http://", config);
        mocker.Run("pull", $"{registry.Host}/private/app:1").EnsureSuccess();
        Assert.Contains("Removing login credentials", mocker.Run("logout", $"https://{registry.Host}/v2/").EnsureSuccess().Stdout);
        Assert.DoesNotContain(registry.Host, File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
    }

    [RootFact]
    public void Without_HOME_logins_go_where_DOCKER_CONFIG_says()
    {
        using var mocker = new MockerProcess();
        using var folder = new TempDir("mocker-cwd");

        mocker.RunWithout(["HOME"], folder.Path, "s3cret\n", "login", registry.Host, "-u", "alice", "--password-stdin").EnsureSuccess();

        Assert.Contains(Convert.ToBase64String("alice:s3cret"u8), File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
        mocker.RunWithout(["HOME"], folder.Path, null, "pull", $"{registry.Host}/private/app:1").EnsureSuccess();
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
    public void A_wrong_password_is_called_that_and_nothing_is_kept()
    {
        using var mocker = new MockerProcess();

        var wrong = mocker.RunWithInput("hunter3\n", "login", registry.Host, "-u", "bob", "--password-stdin");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"mocker: invalid username or password for {registry.Host}\n", wrong.Stderr);
        Assert.False(File.Exists(Path.Combine(mocker.DockerConfig, "config.json")) && File.ReadAllText(Path.Combine(mocker.DockerConfig, "config.json")).Contains(registry.Host));
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
