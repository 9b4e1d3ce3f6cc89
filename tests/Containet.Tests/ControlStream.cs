using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Containet.Native;
using Containet.Protocol;

namespace Containet.Tests;

/// <summary>
/// A raw control connection for tests that write requests in pieces or several at once, and read the replies
/// as they come: what SwitchClient's one-request-one-reply calls cannot do.
/// </summary>
internal sealed class ControlStream : IDisposable
{
    private readonly Socket socket;
    private readonly SafeFd fd;
    private readonly List<byte> pending = [];

    public ControlStream(string path)
    {
        socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        fd = new SafeFd((int)socket.Handle, ownsHandle: false);
    }

    /// <summary>Writes the text as one message, with an fd riding along if given.</summary>
    public void Write(string text, SafeFd? passed = null) => FdPassing.Send(fd, Encoding.UTF8.GetBytes(text), passed);

    /// <summary>Reads until <paramref name="count"/> whole JSON replies have arrived; fails after the deadline.</summary>
    public string[] Read(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var replies = new List<string>();
        while (true)
        {
            replies.AddRange(TakeComplete());
            if (replies.Count >= count) return [.. replies];
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !Receive(left))
                throw new TimeoutException($"{replies.Count} of {count} replies: [{string.Join(", ", replies)}]");
        }
    }

    /// <summary>Whether nothing at all arrives within <paramref name="window"/> (the connection stays open and silent).</summary>
    public bool SilentFor(TimeSpan window) => pending.Count == 0 && !socket.Poll(window, SelectMode.SelectRead);

    /// <summary>Whether the switch closed the connection within the deadline (end of stream, or reset).</summary>
    public bool ClosedWithin(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead)) continue;
            try
            {
                var n = socket.Receive(buffer);
                if (n == 0) return true;
                pending.AddRange(buffer.AsSpan(0, n));
            }
            catch (SocketException)
            {
                return true;
            }
        }
        return false;
    }

    private bool Receive(TimeSpan wait)
    {
        if (!socket.Poll(wait, SelectMode.SelectRead)) return false;
        var buffer = new byte[65536];
        var n = socket.Receive(buffer);
        if (n == 0) throw new IOException("the switch closed the connection");
        pending.AddRange(buffer.AsSpan(0, n));
        return true;
    }

    private List<string> TakeComplete()
    {
        var done = new List<string>();
        var bytes = pending.ToArray();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        var consumed = 0;
        try
        {
            while (reader.Read() && reader.TrySkip())
            {
                var end = (int)reader.BytesConsumed;
                done.Add(Encoding.UTF8.GetString(bytes, consumed, end - consumed).Trim());
                consumed = end;
            }
        }
        catch (JsonException)
        {
            // The tail is not JSON yet (or not at all): it stays pending for the caller's error.
        }
        pending.RemoveRange(0, consumed);
        return done;
    }

    public void Dispose()
    {
        fd.Dispose(); // borrows the socket's descriptor: releases the handle, closes nothing
        socket.Dispose();
    }
}
