using System.Text;
using Containet.Native;

namespace Containet.TestSupport;

/// <summary>
/// The original C containet, as far as a client sees it: it reads each request with one recvmsg of at most 255
/// bytes, answers every request with a bare {} and never an fd (so take-netns and every other extension get {}),
/// adds the TAP of add-etherfd and ends a node's ports on remove-etherfd, and passes frames between its TAPs as
/// they come, packet-information header and all, to every other port. It notes the longest request it was sent:
/// the original overran its buffer on anything over 254 bytes.
/// </summary>
public sealed class OriginalSwitch : IDisposable
{
    private readonly TempDir dir = new("containet-original");
    private readonly SafeFd listener;
    private readonly List<(string Node, SafeFd Tap)> ports = [];
    private readonly List<SafeFd> connections = [];
    private volatile bool stopping;

    public string Socket { get; }
    public int LongestRequest { get; private set; }
    public List<string> Requests { get; } = [];

    public OriginalSwitch()
    {
        Socket = dir.Combine("original.sock");
        listener = UnixSocket.Listen(Socket);
        Start(Accept);
    }

    private static void Start(Action loop) => new Thread(() => loop()) { IsBackground = true }.Start();

    private void Accept()
    {
        while (!stopping)
        {
            SafeFd c;
            try { c = UnixSocket.Accept(listener); }
            catch (Exception e) when (Closed(e)) { return; }
            lock (connections) connections.Add(c);
            Start(() => Serve(c));
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "an add-etherfd's fd joins the ports, which Dispose closes; any other is disposed at once")]
    private void Serve(SafeFd c)
    {
        var buffer = new byte[255];
        while (true)
        {
            int n;
            SafeFd? fd;
            try { n = FdPassing.Receive(c, buffer, out fd); }
            catch (Exception e) when (Closed(e)) { return; }
            if (n == 0)
            {
                fd?.Dispose();
                return;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, n);
            lock (Requests)
            {
                Requests.Add(text);
                LongestRequest = Math.Max(LongestRequest, n);
            }
            if (text.Contains("\"add-etherfd\"") && fd is not null)
            {
                var node = Between(text, "\"nodeid\":\"", "\"");
                lock (ports) ports.Add((node, fd));
                Start(() => Forward(fd));
            }
            else
            {
                fd?.Dispose();
                if (text.Contains("\"remove-etherfd\"")) Remove(Between(text, "\"nodeid\":\"", "\""));
            }
            try { FdPassing.Send(c, "{}"u8); }
            catch (Exception e) when (Closed(e)) { return; }
        }
    }

    /// <summary>A call on a socket or TAP that failed, or that Dispose or remove-etherfd closed under its thread.</summary>
    private static bool Closed(Exception e) => e is NativeException or ObjectDisposedException;

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private void Remove(string node)
    {
        lock (ports)
        {
            foreach (var (n, tap) in ports)
                if (n == node) tap.Dispose();
            ports.RemoveAll(p => p.Node == node);
        }
    }

    /// <summary>The original's reader: whatever one port reads goes out every other port, as read.</summary>
    private void Forward(SafeFd from)
    {
        var frame = new byte[65536 + 4];
        while (!stopping)
        {
            int n;
            try { n = FdIo.Read(from, frame); }
            catch (Exception e) when (Closed(e)) { return; }
            if (n <= 0) return;
            SafeFd[] others;
            lock (ports) others = [.. ports.Where(p => p.Tap != from).Select(p => p.Tap)];
            foreach (var to in others)
            {
                try { FdIo.Write(to, frame.AsSpan(0, n)); }
                catch (Exception e) when (Closed(e)) { } // a port that went away meanwhile
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        listener.Dispose();
        lock (connections) foreach (var c in connections) c.Dispose();
        lock (ports) foreach (var (_, tap) in ports) tap.Dispose();
        dir.Dispose();
    }
}
