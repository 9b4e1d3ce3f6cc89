using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mocker.Tests;

/// <summary>
/// A TCP server on 127.0.0.1 that answers each request with bytes a test writes by hand, so that framing
/// HttpListener never produces (short bodies, dropped keep-alive connections, non-HTTP answers) can be tested.
/// The script gets the request head and the connection's number and returns the raw answer and whether to close;
/// a script that must pace its answer (a dripping or silent registry) writes to the socket itself. It may listen
/// elsewhere, on a listener a test started in a network namespace of its own.
/// </summary>
public sealed class ScriptedServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly Thread loop;
    private readonly List<Socket> accepted = [];
    private int connections, requests;

    public int Connections => Volatile.Read(ref connections);
    public int Requests => Volatile.Read(ref requests);
    public string Host => listener.LocalEndpoint.ToString()!;

    public ScriptedServer(Func<string, int, (string Answer, bool Close)> script)
        : this((string head, int number, Socket socket) =>
        {
            var (answer, close) = script(head, number);
            socket.Send(Encoding.Latin1.GetBytes(answer));
            return close;
        })
    {
    }

    /// <summary>A server whose script answers on the socket itself and returns whether to close.</summary>
    public ScriptedServer(Func<string, int, Socket, bool> respond, TcpListener? listening = null)
    {
        listener = listening ?? new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        loop = new Thread(() =>
        {
            while (true)
            {
                Socket socket;
                try { socket = listener.AcceptSocket(); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
                lock (accepted) accepted.Add(socket);
                var number = Interlocked.Increment(ref connections);
                new Thread(() => Serve(socket, number, respond)) { IsBackground = true }.Start();
            }
        }) { IsBackground = true };
        loop.Start();
    }

    private void Serve(Socket socket, int number, Func<string, int, Socket, bool> respond)
    {
        var pending = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    var n = socket.Receive(buffer);
                    if (n == 0) return;
                    pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    continue;
                }
                var head = pending.ToString(0, end);
                pending.Remove(0, end + 4);
                Interlocked.Increment(ref requests);
                if (respond(head, number, socket)) return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        loop.Join(TimeSpan.FromSeconds(5));
        lock (accepted)
            foreach (var s in accepted) s.Dispose();
    }
}
