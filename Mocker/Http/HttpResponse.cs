using System.Net;

namespace Mocker.Http;

/// <summary>
/// A response whose body is read as it arrives. Disposing it returns the connection for reuse when the body was
/// read to its end (or little of it is left), and closes it otherwise, so an abandoned body is never misread
/// as the next response.
/// </summary>
internal sealed class HttpResponse : IDisposable
{
    private const long DrainLimit = 64 << 10;

    private readonly Header[] headers;
    private readonly HttpTransport transport;
    private readonly bool keepAlive;
    private HttpConnection? connection;

    public HttpUrl Url { get; }
    public HttpStatusCode Status { get; }
    public ResponseBody Body { get; }

    /// <summary>The announced body length, as the framing read it; null when chunked or closed-delimited.</summary>
    public long? ContentLength { get; }

    internal HttpResponse(HttpUrl url, HttpStatusCode status, Header[] headers, long? contentLength, HttpConnection connection,
        HttpTransport transport, bool keepAlive, ResponseBody body)
    {
        Url = url;
        Status = status;
        ContentLength = contentLength;
        this.headers = headers;
        this.connection = connection;
        this.transport = transport;
        this.keepAlive = keepAlive;
        Body = body;
    }

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The first value of a header, by case-insensitive name.</summary>
    public string? Header(string name) => Http.Header.Find(headers, name);

    /// <summary>The media type of Content-Type, without parameters.</summary>
    public string? MediaType => Header("Content-Type") is { } t ? t.Split(';')[0].Trim() : null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref connection, null) is not { } c) return;
        var reusable = keepAlive && Body.DrainUpTo(DrainLimit);
        if (reusable) transport.Return(c);
        else c.Dispose();
    }

    /// <summary>Ends the connection at once; for cancelling a read that is blocked in another thread.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref connection, null) is { } c) c.Dispose();
    }
}
