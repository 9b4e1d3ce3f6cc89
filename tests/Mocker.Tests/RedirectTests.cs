using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Xunit;
using Containet.TestSupport;

namespace Mocker.Tests;

/// <summary>
/// A registry front that wants Basic auth and answers blob requests with 307 to a CDN on another host name,
/// as Docker Hub does: the pull must follow the redirect and never send the registry's credentials there.
/// </summary>
public sealed class RedirectTests(PushedImages pushed) : IClassFixture<PushedImages>
{
    [RootFact]
    public void Blob_redirects_are_followed_without_credentials()
    {
        using var upstream = new HttpClient { BaseAddress = new Uri($"http://{pushed.Registry.Host}/") };
        var cdnAuthorizations = new ConcurrentBag<string?>();
        var cdnHits = 0;
        using var cdn = new HttpServer("localhost", async c =>
        {
            Interlocked.Increment(ref cdnHits);
            cdnAuthorizations.Add(c.Request.Headers["Authorization"]);
            var blob = await upstream.GetByteArrayAsync("v2/" + c.Request.Url!.AbsolutePath["/cdn/".Length..]);
            await c.Response.OutputStream.WriteAsync(blob);
        });
        var expected = "Basic " + Convert.ToBase64String("carol:pw"u8);
        using var front = new HttpServer("127.0.0.1", async c =>
        {
            if (c.Request.Headers["Authorization"] != expected)
            {
                c.Response.StatusCode = 401;
                c.Response.AddHeader("WWW-Authenticate", "Basic realm=\"front\"");
                return;
            }
            var path = c.Request.Url!.PathAndQuery;
            if (path.Contains("/blobs/", StringComparison.Ordinal))
            {
                c.Response.StatusCode = 307;
                c.Response.RedirectLocation = $"http://localhost:{cdn.Port}/cdn{path["/v2".Length..]}";
                return;
            }
            await c.Response.OutputStream.WriteAsync(await HttpServer.Forward(upstream, c));
        });
        using var mocker = new MockerProcess();
        var host = $"127.0.0.1:{front.Port}";

        mocker.RunWithInput("pw\n", "login", host, "-u", "carol", "--password-stdin").EnsureSuccess();
        var pull = mocker.Run("pull", $"{host}/library/layered");

        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.True(cdnHits >= 2, "config and layers come from the CDN");
        Assert.All(cdnAuthorizations, a => Assert.Null(a));
        var rootfs = mocker.Run("rootfs", $"{host}/library/layered").EnsureSuccess().Stdout.Trim();
        Assert.True(File.Exists(Path.Combine(rootfs, "bin", "busybox")));
    }
}
