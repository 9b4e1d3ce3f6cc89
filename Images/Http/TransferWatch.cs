using System.Security.Authentication;

namespace Mocker.Http;

/// <summary>
/// Watches one exchange from its request on: a timer looks at each <see cref="LowSpeed"/> window, and one that
/// brought too few bytes ends the exchange, as cancelling the caller's token does. Ending it cancels the wait for
/// an answer and disposes the response, which ends a read blocked in its body on another thread.
/// </summary>
internal sealed class TransferWatch : IDisposable
{
    private readonly CancellationToken caller;
    private readonly CancellationTokenSource end;
    private readonly Timer timer;
    private readonly Lock gate = new();
    private HttpResponseMessage? response;
    private long bytes; // in the current window
    private bool slow, disposed;

    public LowSpeed Limit { get; }

    /// <summary>Cancelled when the exchange must end.</summary>
    public CancellationToken Token => end.Token;

    public TransferWatch(LowSpeed limit, CancellationToken ct)
    {
        Limit = limit;
        caller = ct;
        end = CancellationTokenSource.CreateLinkedTokenSource(ct);
        end.Token.Register(() => Volatile.Read(ref response)?.Dispose());
        timer = new Timer(_ => Check(), null, limit.Time, limit.Time);
    }

    /// <summary>The response to dispose when the exchange must end.</summary>
    public void Watch(HttpResponseMessage r)
    {
        Volatile.Write(ref response, r);
        if (end.IsCancellationRequested) r.Dispose();
    }

    public void Read(int n) => Interlocked.Add(ref bytes, n);

    /// <summary>The body ended: no more windows to look at.</summary>
    public void Stop() => timer.Dispose();

    private void Check()
    {
        lock (gate)
        {
            if (disposed || Interlocked.Exchange(ref bytes, 0) * 1000 >= Limit.BytesPerSecond * (long)Limit.Time.TotalMilliseconds) return;
            slow = true;
            timer.Dispose();
            end.Cancel();
        }
    }

    /// <summary>What a failure of the exchange with <paramref name="url"/> says: slow, cancelled, TLS refused, or an IOException in words.</summary>
    public Exception Failure(Exception e, HttpUrl url)
    {
        bool wasSlow;
        lock (gate) wasSlow = slow;
        if (wasSlow) return new SlowTransferException(url.Origin, Limit);
        if (caller.IsCancellationRequested) return new OperationCanceledException(caller);
        return e switch
        {
            HttpRequestException { InnerException: AuthenticationException tls } => tls,
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => new IOException($"{url.Authority} did not answer in HTTP/1.x: {e.Message}", e),
            IOException io => io,
            HttpRequestException => new IOException(e.Message, e),
            // SocketsHttpHandler's connect timeout.
            OperationCanceledException => new IOException($"{url.Authority} did not accept a connection in time", e),
            ObjectDisposedException => new IOException($"the connection to {url.Authority} was closed", e),
            _ => e,
        };
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            timer.Dispose();
        }
        end.Dispose();
    }
}
