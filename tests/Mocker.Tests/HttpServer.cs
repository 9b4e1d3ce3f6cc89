using System.Net;
using System.Net.Sockets;

namespace Mocker.Tests;

/// <summary>A small HTTP server on loopback for test doubles (token service, redirecting front, blob CDN).</summary>
public sealed class HttpServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly Task loop;

    public int Port { get; }

    public HttpServer(string host, Func<HttpListenerContext, Task> handle)
    {
        (listener, Port) = Listen(host);
        loop = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _ = Task.Run(async () =>
                {
                    try { await handle(context); }
                    catch (Exception) { context.Response.StatusCode = 500; }
                    finally { context.Response.Close(); }
                });
            }
        });
    }

    /// <summary>
    /// Asks <paramref name="upstream"/> (a registry) for what <paramref name="c"/> asks, with its Accept headers,
    /// and copies status, Content-Type and Docker-Content-Digest onto the answer; the body is the caller's to send.
    /// </summary>
    public static async Task<byte[]> Forward(HttpClient upstream, HttpListenerContext c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Request.HttpMethod), c.Request.Url!.PathAndQuery.TrimStart('/'));
        foreach (var accept in c.Request.AcceptTypes ?? []) request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await upstream.SendAsync(request);
        c.Response.StatusCode = (int)response.StatusCode;
        c.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var d)) c.Response.AddHeader("Docker-Content-Digest", d.First());
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>
    /// HttpListener cannot take port 0: it gets a port that was free a moment ago (<see cref="FreePort"/>), which
    /// something else may take first; then it tries another, a bounded number of times.
    /// </summary>
    private static (HttpListener, int) Listen(string host)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{host}:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                // Closing a listener that never listened looks its port up again, and may fail the same way.
                try { listener.Close(); } catch (HttpListenerException) { }
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port for a test server, free now. Taken below the kernel's ephemeral range (32768 up), where every
    /// outgoing connection of the machine would otherwise be given the port a moment after it is checked, and
    /// never the same one twice in this process (HttpListener shares a port between its listeners).
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
            while (true)
            {
                var port = Random.Shared.Next(20000, 32768);
                if (!HandedOut.Add(port)) continue;
                try
                {
                    using var l = new TcpListener(IPAddress.Loopback, port);
                    l.Start();
                    return port;
                }
                catch (SocketException) { }
            }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
