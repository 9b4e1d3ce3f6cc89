using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// A command run in a real terminal of a fixed size: a tmux server of the test's own (its own socket, killed and
/// removed on Dispose), so that what a user would see can be read back as the screen shows it.
/// </summary>
public sealed class TerminalSession : IDisposable
{
    private const string Finished = "terminal-session-exit=";
    private readonly string socket = "mocker-test-" + Unique.Name();
    private readonly string socketPath;

    public int Width { get; }

    /// <summary>Starts <paramref name="command"/> (through sh) in a terminal of <paramref name="width"/> by <paramref name="height"/>.</summary>
    public TerminalSession(int width, int height, string command)
    {
        Width = width;
        // The pane stays after the command, bounded, so that its last screen can be read.
        Tmux("new-session", "-d", "-x", width.ToString(), "-y", height.ToString(), $"{command}; echo {Finished}$?; sleep 60").EnsureSuccess();
        socketPath = Tmux("display-message", "-p", "#{socket_path}").EnsureSuccess().Stdout.Trim();
    }

    private RunResult Tmux(params string[] args) => Run.Command("tmux", ["-L", socket, "-f", "/dev/null", .. args]);

    /// <summary>The screen's rows as shown; <paramref name="joined"/> puts rows the terminal wrapped back together.</summary>
    public string[] Screen(bool joined = false) =>
        Tmux(["capture-pane", "-p", .. (joined ? (string[])["-J"] : [])]).EnsureSuccess().Stdout.TrimEnd('\n').Split('\n');

    /// <summary>Waits for the command to end and returns its exit status.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        string? line = null;
        Eventually.True(() => (line = Screen().LastOrDefault(l => l.StartsWith(Finished, StringComparison.Ordinal))) is not null,
            "the command in the terminal to finish", timeout);
        return int.Parse(line![Finished.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Tmux("kill-server");
        File.Delete(socketPath);
    }
}
