namespace Containet.TestSupport;

/// <summary>A network namespace made with `ip netns add` under a unique name and deleted on Dispose.</summary>
public sealed class NetNs : IDisposable
{
    public string Name { get; }

    public NetNs(string prefix = "ctn")
    {
        Name = $"{prefix}-{Unique.Name()}";
        Run.Command("ip", "netns", "add", Name).EnsureSuccess();
        Run.Command("ip", "-n", Name, "link", "set", "lo", "up").EnsureSuccess();
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public RunResult Exec(params string[] args) => Run.Command("ip", ["netns", "exec", Name, .. args]);

    public RunResult Exec(TimeSpan timeout, params string[] args) =>
        Run.Command("ip", ["netns", "exec", Name, .. args], timeout);

    public void Dispose() => Run.Command("ip", "netns", "delete", Name);
}
