using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Containet.Native;

namespace Mocker.Tests;

/// <summary>
/// A small HTTP proxy that lives in a network namespace: CONNECT tunnels (for https) and absolute-form requests
/// (for http, rewritten to origin form). Its sockets, listening and outgoing, are made in the namespace, so it
/// reaches what the namespace reaches. Every request line is kept, in order.
/// </summary>
public sealed class TestProxy : IDisposable
{
    private readonly string netns;
    private readonly Socket listener;
    private readonly Thread loop;
    private readonly ConcurrentBag<Socket> open = [];

    public ConcurrentQueue<string> Requests { get; } = new();
    public string Url { get; }

    public TestProxy(string netns, IPAddress address, int port)
    {
        this.netns = netns;
        listener = NetNamespace.Run(netns, () =>
        {
            var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, port));
            s.Listen();
            return s;
        });
        Url = $"http://{address}:{port}";
        loop = new Thread(() =>
        {
            while (true)
            {
                Socket client;
                try { client = listener.Accept(); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
                open.Add(client);
                new Thread(() => Serve(client)) { IsBackground = true }.Start();
            }
        }) { IsBackground = true };
        loop.Start();
    }

    private void Serve(Socket client)
    {
        try
        {
            using var fromClient = new NetworkStream(client, ownsSocket: true);
            var head = ReadHead(fromClient);
            if (head is null) return;
            var parts = head.Split("\r\n")[0].Split(' ');
            Requests.Enqueue(head.Split("\r\n")[0]);
            if (parts[0] == "CONNECT")
            {
                using var server = new NetworkStream(Connect(parts[1]), ownsSocket: true);
                fromClient.Write("HTTP/1.1 200 Connection Established\r\n\r\n"u8);
                Pipe(fromClient, server);
                return;
            }
            // Absolute form, "GET http://host:port/path HTTP/1.1": every request on this connection goes to that origin.
            var origin = new Uri(parts[1]);
            using var upstream = new NetworkStream(Connect(origin.Authority), ownsSocket: true);
            var forward = new Thread(() =>
            {
                try
                {
                    for (var h = head; h is not null; h = ReadHead(fromClient))
                    {
                        if (!ReferenceEquals(h, head)) Requests.Enqueue(h.Split("\r\n")[0]);
                        var line = h.Split("\r\n")[0].Split(' ');
                        upstream.Write(Encoding.Latin1.GetBytes($"{line[0]} {new Uri(line[1]).PathAndQuery} {line[2]}{h[h.IndexOf("\r\n", StringComparison.Ordinal)..]}\r\n\r\n"));
                    }
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { }
                finally { upstream.Socket.Shutdown(SocketShutdown.Send); }
            }) { IsBackground = true };
            forward.Start();
            upstream.CopyTo(fromClient);
            forward.Join(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
    }

    // A socket of the namespace, connected to host:port.
    private Socket Connect(string authority)
    {
        var colon = authority.LastIndexOf(':');
        var endpoint = new IPEndPoint(IPAddress.Parse(authority[..colon].Trim('[', ']')), int.Parse(authority[(colon + 1)..]));
        var socket = NetNamespace.Run(netns, () => new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        open.Add(socket);
        socket.Connect(endpoint);
        return socket;
    }

    // Both directions until either side closes.
    private static void Pipe(Stream client, Stream server)
    {
        var up = Task.Run(() => Copy(client, server));
        Copy(server, client);
        up.Wait(TimeSpan.FromSeconds(5));
    }

    private static void Copy(Stream from, Stream to)
    {
        try { from.CopyTo(to); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        finally
        {
            try { to.Dispose(); } catch (IOException) { }
        }
    }

    // A request head without its final blank line; null at the end of the connection.
    private static string? ReadHead(Stream s)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (head.Length < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (s.Read(one) == 0) return null;
            head.Append((char)one[0]);
            if (head.Length > 16 << 10) throw new IOException("a request head over 16 KiB");
        }
        return head.ToString(0, head.Length - 4);
    }

    public void Dispose()
    {
        listener.Dispose();
        loop.Join(TimeSpan.FromSeconds(5));
        foreach (var s in open) s.Dispose();
    }
}
