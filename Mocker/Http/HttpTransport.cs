using System.Globalization;
using System.Net;

namespace Mocker.Http;

/// <summary>
/// GET requests over HTTP/1.1 with keep-alive connections, pooled per scheme, host and port. A request that fails
/// on a reused connection before any answer (the server closed it while idle) is sent once more on a new one;
/// one that got no answer in time is not, as the server did not close anything. Cancelling <c>ct</c> ends the
/// connection, which ends a blocked connect or read.
/// </summary>
internal sealed class HttpTransport(LowSpeed? lowSpeed = null) : IDisposable
{
    private readonly Dictionary<string, Stack<HttpConnection>> idle = new(StringComparer.Ordinal);
    private readonly LowSpeed lowSpeed = lowSpeed ?? LowSpeed.Default;

    public HttpResponse Get(HttpUrl url, Header[] headers, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var connection = Take(url.Origin);
            var reused = connection is not null;
            connection ??= HttpConnection.Open(url, lowSpeed, ct);
            try
            {
                using (ct.Register(connection.Dispose))
                {
                    connection.WriteGet(url, headers);
                    return ReadResponse(url, connection);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                connection.Dispose();
                ct.ThrowIfCancellationRequested();
                if (!reused || e is SlowTransferException) throw e as IOException ?? new IOException(e.Message, e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private HttpResponse ReadResponse(HttpUrl url, HttpConnection connection)
    {
        string status;
        do status = connection.ReadLine();
        while (status.Length == 0);
        // "HTTP/1.1 200 OK"; 1xx interim answers are skipped with their headers.
        var parts = status.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, null, out var code))
            throw new IOException($"{url.Authority} did not answer in HTTP/1.x: \"{Shorten(status)}\"");
        var lines = new List<Header>();
        for (string line; (line = connection.ReadLine()).Length > 0;)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new IOException($"{url.Authority} sent a malformed header \"{Shorten(line)}\"");
            if (lines.Count == 512) throw new IOException($"{url.Authority} sent more than 512 headers");
            lines.Add(new Header(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        if (code is >= 100 and < 200) return ReadResponse(url, connection);
        var headers = lines.ToArray();

        var chunked = Header.Find(headers, "Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        long? length = long.TryParse(Header.Find(headers, "Content-Length"), NumberStyles.None, null, out var n) ? n : null;
        var body = code is 204 or 304 ? ResponseBody.Empty(connection) : new ResponseBody(connection, length, chunked);
        var keepAlive = parts[0] != "HTTP/1.0" && !(Header.Find(headers, "Connection") is { } c && c.Contains("close", StringComparison.OrdinalIgnoreCase))
            && (chunked || length is not null || code is 204 or 304);
        return new HttpResponse(url, (HttpStatusCode)code, headers, chunked ? null : length, connection, this, keepAlive, body);
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";

    private HttpConnection? Take(string key)
    {
        lock (idle) return idle.TryGetValue(key, out var stack) && stack.TryPop(out var c) ? c : null;
    }

    internal void Return(HttpConnection connection)
    {
        lock (idle)
        {
            if (!idle.TryGetValue(connection.Key, out var stack)) idle[connection.Key] = stack = new Stack<HttpConnection>();
            stack.Push(connection);
        }
    }

    public void Dispose()
    {
        lock (idle)
        {
            foreach (var stack in idle.Values)
                while (stack.TryPop(out var c)) c.Dispose();
            idle.Clear();
        }
    }
}
