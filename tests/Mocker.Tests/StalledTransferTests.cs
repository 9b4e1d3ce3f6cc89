using System.Diagnostics;
using System.Formats.Tar;
using System.Net.Sockets;
using System.Security.Cryptography;
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
    // Incompressible, so that its blob is as long as the data.
    private static readonly byte[] Layer = ScriptedRegistry.Layer(new PaxTarEntry(TarEntryType.RegularFile, "data")
    {
        DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(64 << 10)),
    });

    private static readonly string LayerDigest = ScriptedRegistry.Digest(Layer);

    // The image of Layer, whose blob the registry answers with `answer`, on a connection it then closes.
    private static ScriptedRegistry Serving(Action<Socket> answer) =>
        new(ScriptedRegistry.Manifest(ScriptedRegistry.Config, Layer), [ScriptedRegistry.Config, Layer], (path, socket) =>
        {
            if (!path.EndsWith(LayerDigest, StringComparison.Ordinal)) return false;
            answer(socket);
            return true;
        });

    [RootFact]
    public void A_blob_that_drips_fails_within_the_low_speed_window_naming_image_and_blob()
    {
        using var registry = Serving(socket =>
        {
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Layer.Length}\r\n\r\n"));
            // One byte every 50 ms (20 B/s), for at most 30 s: the pull must give up long before.
            for (var i = 0; i < 600; i++)
            {
                try { socket.Send(Layer.AsSpan(i, 1)); }
                catch (SocketException) { return; }
                Thread.Sleep(50);
            }
        });
        using var mocker = new MockerProcess();
        var clock = Stopwatch.StartNew();

        var pull = mocker.Run("--low-speed-time=2", "pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10);
        Assert.Contains($"blob {LayerDigest} of {registry.Reference}", pull.Stderr);
        Assert.Contains("under 1.0 kB/s for 2 s", pull.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
    }

    [RootFact]
    public void A_blob_request_that_is_never_answered_gives_up_within_the_retry_budget()
    {
        using var registry = Serving(socket =>
        {
            // Accepted, never answered: wait (bounded) until mocker hangs up.
            socket.ReceiveTimeout = 30_000;
            try { socket.Receive(new byte[1]); }
            catch (SocketException) { }
        });
        using var mocker = new MockerProcess();
        var clock = Stopwatch.StartNew();

        var pull = mocker.Run("--low-speed-time=1", "--retry-budget=3", "pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 8);
        Assert.Contains($"blob {LayerDigest} of {registry.Reference}", pull.Stderr);
        Assert.InRange(registry.Asked.Count(p => p.EndsWith(LayerDigest, StringComparison.Ordinal)), 2, 4);
    }
}
