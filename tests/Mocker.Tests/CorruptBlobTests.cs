using Xunit;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// A registry front that breaks the gzip magic of every layer it serves and holds back the second half of it
/// for a moment. Layers are unpacked while they download, so unpacking fails on those bytes before their digest
/// is known: the pull must still say the digest is wrong, and keep nothing of the image, neither blob nor tree.
/// </summary>
public sealed class CorruptBlobTests(PushedImages pushed) : IClassFixture<PushedImages>
{
    [RootFact]
    public void A_layer_that_does_not_match_its_digest_fails_the_pull_and_nothing_of_it_is_kept()
    {
        using var upstream = new HttpClient { BaseAddress = new Uri($"http://{pushed.Registry.Host}/") };
        var corrupted = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var front = new HttpServer("127.0.0.1", async c =>
        {
            var path = c.Request.Url!.PathAndQuery;
            var body = await HttpServer.Forward(upstream, c);
            c.Response.ContentLength64 = body.Length;
            if (!path.Contains("/blobs/", StringComparison.Ordinal) || body.Length < 100_000)
            {
                await c.Response.OutputStream.WriteAsync(body);
                return;
            }
            corrupted.Add(path[(path.LastIndexOf('/') + 1)..]);
            body[0] ^= 0x55;
            await c.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await c.Response.OutputStream.FlushAsync();
            // Not a synchronisation: time for the unpacking to meet the bad bytes while the digest cannot be known.
            await Task.Delay(1000);
            await c.Response.OutputStream.WriteAsync(body.AsMemory(body.Length / 2));
        });
        using var mocker = new MockerProcess();

        var pull = mocker.Run("pull", $"127.0.0.1:{front.Port}/library/layered");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("does not match its digest", pull.Stderr);
        Assert.NotEmpty(corrupted);
        foreach (var digest in corrupted)
            Assert.False(File.Exists(Path.Combine(mocker.Store, "blobs", "sha256", digest["sha256:".Length..])), $"{digest} was kept");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "rootfs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "tmp")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "refs")));
    }
}
