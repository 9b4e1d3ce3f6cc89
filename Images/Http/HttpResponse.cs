using System.Net;

namespace Mocker.Http;

/// <summary>
/// A response whose body is read as it arrives. Disposing it keeps the connection for the next request when the
/// body was read to its end, or little of it was left (read and dropped here), and closes it otherwise, so an
/// abandoned body is never misread as the next response.
/// </summary>
internal sealed class HttpResponse : IDisposable
{
    private const long DrainLimit = 64 << 10;

    private readonly HttpResponseMessage response;
    private readonly TransferWatch watch;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213", Justification = "It wraps the response's content stream, which disposing the response closes.")]
    private readonly WatchedBody body;

    public HttpUrl Url { get; }
    public HttpStatusCode Status => response.StatusCode;
    public Stream Body => body;

    /// <summary>The announced body length; null when chunked or delimited by the end of the connection.</summary>
    public long? ContentLength => response.Content.Headers.ContentLength;

    internal HttpResponse(HttpUrl url, HttpResponseMessage response, TransferWatch watch)
    {
        Url = url;
        this.response = response;
        this.watch = watch;
        watch.Watch(response);
        body = new WatchedBody(response.Content.ReadAsStream(), this);
    }

    public bool IsSuccess => response.IsSuccessStatusCode;

    /// <summary>The first value of a header, by case-insensitive name, as the server sent it.</summary>
    public string? Header(string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? values.FirstOrDefault() : null;

    /// <summary>The media type of Content-Type, without parameters.</summary>
    public string? MediaType => Header("Content-Type") is { } t ? t.Split(';')[0].Trim() : null;

    public void Dispose()
    {
        if (!body.Ended && !body.Failed && (ContentLength ?? 0) <= DrainLimit)
        {
            try
            {
                Span<byte> scratch = stackalloc byte[4096];
                for (long dropped = 0; dropped <= DrainLimit && body.Read(scratch) is var n && n > 0; dropped += n) { }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The connection goes with the response.
            }
        }
        watch.Dispose();
        response.Dispose();
    }

    /// <summary>The body, read under the watch: bytes counted, failures said as <see cref="TransferWatch.Failure"/> says them.</summary>
    private sealed class WatchedBody(Stream inner, HttpResponse owner) : ReadOnlyStream
    {
        public bool Ended { get; private set; }
        public bool Failed { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            if (Ended || buffer.IsEmpty) return 0;
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
            {
                Failed = true;
                throw owner.watch.Failure(e, owner.Url);
            }
            // A body ended by the watch (disposed under a blocked read) may look as if it ended by itself.
            if (n == 0 && owner.watch.Token.IsCancellationRequested)
            {
                Failed = true;
                throw owner.watch.Failure(new IOException($"the transfer from {owner.Url.Authority} was ended"), owner.Url);
            }
            if (n == 0)
            {
                Ended = true;
                owner.watch.Stop();
            }
            else owner.watch.Read(n);
            return n;
        }
    }
}
