using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>bin/mocker with its own store and its own Docker config folder, so tests never touch the user's.</summary>
public sealed class MockerProcess : IDisposable
{
    public TempDir Dir { get; } = new("mocker-store");
    public string Store => Dir.Combine("store");
    public string DockerConfig => Dir.Combine("docker");

    public RunResult Run(params string[] args) => RunWithInput(null, args);

    public RunResult RunWithInput(string? stdin, params string[] args) => RunWithout([], null, stdin, args);

    /// <summary>
    /// As <see cref="RunWithInput"/>, without the environment variables <paramref name="unset"/> (DOCKER_CONFIG
    /// too, if named), in <paramref name="folder"/> when given.
    /// </summary>
    public RunResult RunWithout(string[] unset, string? folder, string? stdin, params string[] args) =>
        Containet.TestSupport.Run.Command("env", [.. unset.SelectMany(v => (string[])["-u", v]), .. (folder is null ? (string[])[] : ["-C", folder]),
            Repo.Program("mocker"), "--store", Store, .. args], TimeSpan.FromSeconds(120), stdin,
            new Dictionary<string, string> { ["DOCKER_CONFIG"] = DockerConfig });

    /// <summary>Runs mocker in the network namespace <paramref name="netns"/>, with the variables NAME=VALUE given.</summary>
    public RunResult RunIn(string netns, string[] variables, params string[] args) =>
        Containet.TestSupport.Run.Command("ip", ["netns", "exec", netns, "env", $"DOCKER_CONFIG={DockerConfig}", .. variables,
            Repo.Program("mocker"), "--store", Store, .. args], TimeSpan.FromSeconds(120));

    public void Dispose() => Dir.Dispose();
}
