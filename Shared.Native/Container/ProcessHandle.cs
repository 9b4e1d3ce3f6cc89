using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A process held by a pidfd, opened only if it is still the process <see cref="ProcessIdentity"/> names: signals
/// and waits through it reach that process or none, never one that reused its PID.
/// </summary>
public sealed unsafe class ProcessHandle : IDisposable
{
    private readonly SafeFd fd;

    private ProcessHandle(SafeFd fd) => this.fd = fd;

    /// <summary>The process, or null when it has ended (or its PID now names another).</summary>
    public static ProcessHandle? Open(ProcessIdentity process)
    {
        var fd = Libc.pidfd_open(process.Pid, 0);
        if (fd < 0)
        {
            var e = NativeException.Last("pidfd_open", process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return e.Errno == Errno.ESRCH ? null : throw e;
        }
        var handle = new ProcessHandle(new SafeFd(fd));
        // Checked after the open: the fd holds the process, so a match now cannot turn into another process later.
        if (process.IsAlive) return handle;
        handle.Dispose();
        return null;
    }

    /// <summary>Sends a signal; false if the process has ended.</summary>
    public bool Signal(Signal signal)
    {
        if (Libc.pidfd_send_signal(fd, (int)signal, 0, 0) == 0) return true;
        var e = NativeException.Last("pidfd_send_signal");
        return e.Errno == Errno.ESRCH ? false : throw e;
    }

    /// <summary>Waits until the process has ended (it need not be a child); false if it still runs at the timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var p = new Libc.PollFd { Fd = fd.Number, Events = Libc.POLLIN };
        while (true)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0) return false;
            var r = Libc.poll(&p, 1, (int)Math.Min(left, int.MaxValue));
            if (r > 0) return true;
            if (r < 0 && !Libc.Interrupted(r)) throw NativeException.Last("poll");
        }
    }

    public void Dispose() => fd.Dispose();
}
