using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Containet.Native;

namespace Mocker.Http;

/// <summary>
/// One HTTP/1.1 connection: a blocking socket (<see cref="TcpStream"/>, TLS over it for https), a read buffer,
/// and the head of each exchange. Blocking, not async: a pull is a handful of requests on a few threads, and
/// async I/O would start the socket engine's thread for them.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    // A registry that stops sending mid-body must not hang a pull: the read fails and is retried.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    private readonly TcpStream tcp;
    private readonly Stream stream;
    private readonly byte[] buffer = new byte[32 << 10];
    private int start, end;

    public string Key { get; }

    private HttpConnection(string key, TcpStream tcp, Stream stream)
    {
        Key = key;
        this.tcp = tcp;
        this.stream = stream;
    }

    /// <summary>Connects to <paramref name="url"/>'s host; failures are IOExceptions that say where.</summary>
    public static HttpConnection Open(HttpUrl url, CancellationToken ct)
    {
        var host = url.Host.Trim('[', ']');
        var tcp = Connect(host, url.Port, ct);
        try
        {
            Stream stream = tcp;
            if (url.Https)
            {
                var tls = new SslStream(tcp);
                stream = tls;
                tls.AuthenticateAsClient(host);
            }
            return new HttpConnection(url.Origin, tcp, stream);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    // An address as written, a name through the resolver; the first address that answers wins.
    private static TcpStream Connect(string host, int port, CancellationToken ct)
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
                return TcpStream.Connect(host, address.GetAddressBytes(), port, ConnectTimeout, ReadTimeout, ct);
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
        if (start == end && into.Length >= buffer.Length) return stream.Read(into);
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
        var n = stream.Read(buffer, end, buffer.Length - end);
        end += n;
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
