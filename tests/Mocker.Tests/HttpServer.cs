using System.Net;
using System.Net.Sockets;

namespace Mocker.Tests;

/// <summary>A small HTTP server on loopback for test doubles (token service, redirecting front, blob CDN).</summary>
public sealed class HttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public int Port { get; }

    public HttpServer(string host, Func<HttpListenerContext, Task> handle)
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://{host}:{Port}/");
        listener.Start();
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

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
