using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>An epoll instance: register fds with a 64-bit token, wait for readiness, wake the waiter.</summary>
public sealed unsafe class Epoll : IDisposable
{
    public const uint Readable = Libc.EPOLLIN, Writable = Libc.EPOLLOUT, Error = Libc.EPOLLERR, HangUp = Libc.EPOLLHUP;

    /// <summary>Reports the fd once, then ignores it until <see cref="Modify"/> re-arms it.</summary>
    public const uint OneShot = Libc.EPOLLONESHOT;

    /// <summary>The most events one <see cref="Wait"/> reports; a caller's batch is this long.</summary>
    public const int MaxEvents = 64;

    /// <summary>The token <see cref="Wait"/> reports when <see cref="Wake"/> was called.</summary>
    public const ulong WakeToken = ulong.MaxValue;

    private readonly SafeFd epoll;
    private readonly SafeFd wake;

    public Epoll()
    {
        epoll = SafeFd.Check(Libc.epoll_create1(Libc.EPOLL_CLOEXEC), "epoll_create1");
        wake = SafeFd.Check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        Add(wake, WakeToken, Readable);
    }

    public void Add(SafeFd fd, ulong token, uint events)
    {
        var ev = new Libc.EpollEvent { Events = events, Data = token };
        NativeException.Check(Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_ADD, fd, &ev), "epoll_ctl ADD");
    }

    public void Modify(SafeFd fd, ulong token, uint events)
    {
        var ev = new Libc.EpollEvent { Events = events, Data = token };
        NativeException.Check(Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_MOD, fd, &ev), "epoll_ctl MOD");
    }

    public void Remove(SafeFd fd)
    {
        var ev = new Libc.EpollEvent();
        Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_DEL, fd, &ev);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever); fills tokens and events, returns how many.</summary>
    public int Wait(Span<ulong> tokens, Span<uint> events, int timeoutMs)
    {
        var max = Math.Min(tokens.Length, MaxEvents);
        var buffer = stackalloc Libc.EpollEvent[max];
        var n = Libc.epoll_wait(epoll, buffer, max, timeoutMs);
        if (n < 0) return Libc.Interrupted(n) ? 0 : throw NativeException.Last("epoll_wait");
        for (var i = 0; i < n; i++)
        {
            tokens[i] = buffer[i].Data;
            events[i] = buffer[i].Events;
            if (buffer[i].Data == WakeToken)
            {
                ulong drained;
                Libc.read(wake, (byte*)&drained, 8);
            }
        }
        return n;
    }

    public void Wake()
    {
        ulong one = 1;
        Libc.write(wake, (byte*)&one, 8);
    }

    public void Dispose()
    {
        wake.Dispose();
        epoll.Dispose();
    }
}
