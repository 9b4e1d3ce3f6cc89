using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Containet.Native;

namespace Mocker.Http;

/// <summary>
/// One HTTP/1.1 connection: a blocking socket (<see cref="TcpStream"/>, TLS over it for https), a read buffer,
/// and the head of each exchange. Blocking, not async: a pull is a handful of requests on a few threads, and
/// async I/O would start the socket engine's thread for them. Each exchange is held to the
/// <see cref="LowSpeed"/> limit from its request on.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpStream tcp;
    private readonly Stream stream;
    private readonly LowSpeed lowSpeed;
    private readonly byte[] buffer = new byte[32 << 10];
    private int start, end;
    // The low-speed window: when it started and what was read in it.
    private long windowStart = Environment.TickCount64, windowBytes;

    public string Key { get; }

    private HttpConnection(string key, TcpStream tcp, Stream stream, LowSpeed lowSpeed)
    {
        Key = key;
        this.tcp = tcp;
        this.stream = stream;
        this.lowSpeed = lowSpeed;
    }

    /// <summary>Connects to <paramref name="url"/>'s host; failures are IOExceptions that say where.</summary>
    public static HttpConnection Open(HttpUrl url, LowSpeed lowSpeed, CancellationToken ct)
    {
        var host = url.Host.Trim('[', ']');
        // A read that waits a whole window for its first byte is already too slow.
        var tcp = Connect(host, url.Port, lowSpeed.Time, ct);
        try
        {
            Stream stream = tcp;
            if (url.Https)
            {
                var tls = new SslStream(tcp);
                stream = tls;
                tls.AuthenticateAsClient(host);
            }
            return new HttpConnection(url.Origin, tcp, stream, lowSpeed);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    // An address as written, a name through the resolver; the first address that answers wins.
    private static TcpStream Connect(string host, int port, TimeSpan readTimeout, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot resolve {host}: {e.Message}", e);
        }
        IOException? failure = null;
        foreach (var address in addresses)
        {
            try
            {
                return TcpStream.Connect(host, address.GetAddressBytes(), port, ConnectTimeout, readTimeout, ct);
            }
            catch (NativeException e)
            {
                failure = e;
            }
        }
        throw failure ?? new IOException($"{host} has no address");
    }

    /// <summary>Sends a GET with <paramref name="headers"/> (name, value pairs) and no body.</summary>
    public void WriteGet(HttpUrl url, Header[] headers)
    {
        var head = new StringBuilder(512);
        head.Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\nHost: ").Append(url.Authority).Append("\r\n");
        foreach (var h in headers) head.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
        head.Append("\r\n");
        stream.Write(Encoding.ASCII.GetBytes(head.ToString()));
        windowStart = Environment.TickCount64;
        windowBytes = 0;
    }

    /// <summary>Reads a status or header line without its CRLF; throws on a closed connection or a line longer than the buffer.</summary>
    public string ReadLine()
    {
        for (var scanned = 0; ; )
        {
            var newline = buffer.AsSpan(start + scanned, end - start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var line = Encoding.Latin1.GetString(buffer, start, length > 0 && buffer[start + length - 1] == '\r' ? length - 1 : length);
                start += length + 1;
                return line;
            }
            scanned = end - start;
            if (Fill() == 0) throw new IOException("the server closed the connection");
        }
    }

    /// <summary>Reads buffered bytes first, then from the socket; 0 at the end of the connection.</summary>
    public int Read(Span<byte> into)
    {
        if (start == end && into.Length >= buffer.Length) return Receive(into);
        if (start == end && Fill() == 0) return 0;
        var n = Math.Min(into.Length, end - start);
        buffer.AsSpan(start, n).CopyTo(into);
        start += n;
        return n;
    }

    private int Fill()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length) throw new IOException($"a response line longer than {buffer.Length >> 10} KiB");
        var n = Receive(buffer.AsSpan(end));
        end += n;
        return n;
    }

    // Every read from the socket, measured against the low-speed limit.
    private int Receive(Span<byte> into)
    {
        int n;
        try
        {
            n = stream.Read(into);
        }
        catch (NativeException e) when (e.Errno == Errno.ETIMEDOUT)
        {
            throw new SlowTransferException(Key, lowSpeed);
        }
        windowBytes += n;
        var now = Environment.TickCount64;
        var window = (long)lowSpeed.Time.TotalMilliseconds;
        if (n > 0 && now - windowStart >= window)
        {
            if (windowBytes * 1000 < lowSpeed.BytesPerSecond * window) throw new SlowTransferException(Key, lowSpeed);
            windowStart = now;
            windowBytes = 0;
        }
        return n;
    }

    /// <summary>Ends the connection; safe from another thread, where it makes a blocked read end.</summary>
    public void Dispose()
    {
        tcp.Abort();
        stream.Dispose();
        tcp.Dispose();
    }
}
