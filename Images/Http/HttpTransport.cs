using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Mocker.Http;

/// <summary>
/// GET requests through HttpClient (SocketsHttpHandler): keep-alive connections pooled per origin, a proxy when
/// one is given (<see cref="EnvironmentProxy"/>), redirects and cookies left to the caller. Calls are
/// synchronous: a pull is a handful of requests on a few threads of its own. Each exchange is watched by a
/// <see cref="TransferWatch"/>: held to the <see cref="LowSpeed"/> limit from its request on, ended when
/// <c>ct</c> is cancelled, and its failures said in words.
/// </summary>
internal sealed class HttpTransport : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient client;
    private readonly LowSpeed lowSpeed;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the HttpClient owns its handler and disposes it")]
    public HttpTransport(LowSpeed? lowSpeed = null, IWebProxy? proxy = null)
    {
        this.lowSpeed = lowSpeed ?? LowSpeed.Default;
        client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = ConnectTimeout,
            ConnectCallback = Connect,
            Proxy = proxy,
            UseProxy = proxy is not null,
            // An abandoned body closes its connection at once (HttpResponse drains small ones itself), so that
            // ending a response from another thread ends a read blocked in it.
            MaxResponseDrainSize = 0,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    // A blocking connect, which leaves the socket blocking: HttpClient connects asynchronously even for a
    // synchronous request, and a socket once used so makes every later blocking read wait through the socket
    // engine's thread.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the stream, which owns the socket, goes to HttpClient; a failed connect disposes the socket")]
    private static ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (ct.UnsafeRegister(s => ((Socket)s!).Dispose(), socket))
                socket.Connect(context.DnsEndPoint);
            return ValueTask.FromResult<Stream>(new NetworkStream(socket, ownsSocket: true));
        }
        catch (Exception e)
        {
            socket.Dispose();
            ct.ThrowIfCancellationRequested();
            return ValueTask.FromException<Stream>(e);
        }
    }

    /// <summary>
    /// Sends a GET. One that failed at the connection before any answer, as on a pooled connection the server had
    /// just closed, is sent once more at once (a GET may be); what keeps failing is the caller's to retry.
    /// </summary>
    public HttpResponse Get(HttpUrl url, Header[] headers, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Send(url, headers, ct);
            }
            catch (IOException e) when (attempt == 1 && e.InnerException is HttpRequestException { HttpRequestError: not HttpRequestError.InvalidResponse })
            {
            }
        }
    }

    private HttpResponse Send(HttpUrl url, Header[] headers, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url.ToString()));
        foreach (var h in headers) request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        var watch = new TransferWatch(lowSpeed, ct);
        try
        {
            var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, watch.Token);
            return new HttpResponse(url, response, watch);
        }
        catch (Exception e)
        {
            watch.Dispose();
            throw watch.Failure(e, url);
        }
    }

    public void Dispose() => client.Dispose();
}
