using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Containet.TestSupport;
using Xunit;

namespace Mocker.Tests;

/// <summary>
/// Registries that answer too slowly or not at all: a transfer under 1 KB/s for the low-speed window fails and
/// says which image and blob, and the retries of one request end within their budget. The tests shorten the
/// window (30 s by default) and the budget (2 minutes) with the hidden options made for them.
/// </summary>
public sealed class StalledTransferTests
{
    private static readonly byte[] Layer = ScriptedRegistry.Layer(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "data")
    {
        DataStream = new MemoryStream(Noise(64 << 10)),
    });

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [RootFact]
    public void A_blob_that_drips_fails_within_the_low_speed_window_naming_image_and_blob()
    {
        var layer = ScriptedRegistry.Digest(Layer);
        using var registry = new ScriptedRegistry(ScriptedRegistry.Manifest(ScriptedRegistry.Config, Layer), [ScriptedRegistry.Config, Layer], (path, socket) =>
        {
            if (!path.EndsWith(layer, StringComparison.Ordinal)) return false;
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Layer.Length}\r\n\r\n"));
            // One byte every 50 ms (20 B/s), for at most 30 s: the pull must give up long before.
            for (var i = 0; i < 600; i++)
            {
                try { socket.Send(Layer.AsSpan(i, 1)); }
                catch (SocketException) { break; }
                Thread.Sleep(50);
            }
            return true;
        });
        using var mocker = new MockerProcess();
        var clock = Stopwatch.StartNew();

        var pull = mocker.Run("--low-speed-time=2", "pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10);
        Assert.Contains($"blob {layer} of {registry.Reference}", pull.Stderr);
        Assert.Contains("under 1.0 kB/s for 2 s", pull.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
    }

    [RootFact]
    public void A_blob_request_that_is_never_answered_gives_up_within_the_retry_budget()
    {
        var layer = ScriptedRegistry.Digest(Layer);
        using var registry = new ScriptedRegistry(ScriptedRegistry.Manifest(ScriptedRegistry.Config, Layer), [ScriptedRegistry.Config, Layer], (path, socket) =>
        {
            if (!path.EndsWith(layer, StringComparison.Ordinal)) return false;
            // Accepted, never answered: wait (bounded) until mocker hangs up.
            socket.ReceiveTimeout = 30_000;
            try { socket.Receive(new byte[1]); }
            catch (SocketException) { }
            return true;
        });
        using var mocker = new MockerProcess();
        var clock = Stopwatch.StartNew();

        var pull = mocker.Run("--low-speed-time=1", "--retry-budget=3", "pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 8);
        Assert.Contains($"blob {layer} of {registry.Reference}", pull.Stderr);
        Assert.InRange(registry.Asked.Count(p => p.EndsWith(layer, StringComparison.Ordinal)), 2, 4);
    }
}
