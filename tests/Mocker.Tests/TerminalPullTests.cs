using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Containet.TestSupport;
using Xunit;

namespace Mocker.Tests;

/// <summary>
/// `mocker pull` in a real terminal 80 and 40 columns wide (tmux): the layers download for long enough to be
/// redrawn many times, and the screen that stays has one row per layer, none wrapped and none left behind; a
/// second pull shows the stored layers as "Already exists".
/// </summary>
public sealed class TerminalPullTests
{
    private static readonly byte[][] Layers = [.. Enumerable.Range(0, 3).Select(i => ScriptedRegistry.Layer(new PaxTarEntry(TarEntryType.RegularFile, $"data{i}")
    {
        DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(256 << 10)),
    }))];

    // Each layer in 16 KiB pieces 200 ms apart: about 3 s each, time for many redraws and for the test to look
    // at the screen meanwhile, and far above the low-speed limit.
    private static ScriptedRegistry Paced() =>
        new(ScriptedRegistry.Manifest(ScriptedRegistry.Config, Layers), [ScriptedRegistry.Config, .. Layers], (path, socket) =>
        {
            var layer = Layers.FirstOrDefault(l => path.EndsWith(ScriptedRegistry.Digest(l), StringComparison.Ordinal));
            if (layer is null) return false;
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {layer.Length}\r\n\r\n"));
            for (var at = 0; at < layer.Length; at += 16 << 10)
            {
                socket.Send(layer.AsSpan(at, Math.Min(16 << 10, layer.Length - at)));
                Thread.Sleep(200);
            }
            return true;
        });

    [RootTheory]
    [InlineData(80)]
    [InlineData(40)]
    public void The_rows_fit_the_terminal_and_a_second_pull_says_already_exists(int width)
    {
        using var registry = Paced();
        using var mocker = new MockerProcess();
        var pull = $"{Repo.Program("mocker")} --store {mocker.Store} pull {registry.Reference}";
        var ids = Layers.Select(l => ScriptedRegistry.Digest(l)[7..19]).ToArray();

        // The layer rows of what the terminal shows, with the rows it wrapped joined: none may be wider than it.
        string[] LayerRows(TerminalSession terminal)
        {
            var rows = terminal.Screen(joined: true).Select(r => r.TrimEnd()).Where(r => ids.Any(id => r.Contains(id, StringComparison.Ordinal))).ToArray();
            Assert.All(rows, r => Assert.True(r.Length <= width, $"a row of {r.Length} columns: {r}"));
            return rows;
        }

        using (var terminal = new TerminalSession(width, 30, pull))
        {
            Eventually.True(() => LayerRows(terminal) is { Length: 3 } rows && rows.All(r => r.Contains("] ", StringComparison.Ordinal)), "three bars on the screen");
            Assert.Equal(0, terminal.WaitForExit(TimeSpan.FromSeconds(60)));
            var screen = terminal.Screen();
            // One row per layer between the first line and the digest: nothing left behind by the redraws.
            var first = Array.FindIndex(screen, r => r.StartsWith("pulling ", StringComparison.Ordinal));
            Assert.Equal(ids.Select(id => $"{id} Pull complete"), screen[(first + 1)..(first + 1 + ids.Length)].Select(r => r.TrimEnd()));
            Assert.StartsWith("Digest: ", screen[first + 1 + ids.Length]);
            Assert.Equal(ids.Length, LayerRows(terminal).Length);
        }
        using (var again = new TerminalSession(width, 30, pull))
        {
            Assert.Equal(0, again.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Equal(ids.Select(id => $"{id} Already exists"), LayerRows(again).Select(r => r.TrimEnd()));
        }
    }
}
