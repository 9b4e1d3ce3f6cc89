namespace Containet.Native;

/// <summary>The standard signals by their kill(1) names, with Linux's numbers (signal(7)); 34 to 64 are the real-time ones.</summary>
public enum Signal
{
    Hup = 1, Int, Quit, Ill, Trap, Abrt, Bus, Fpe, Kill, Usr1, Segv, Usr2, Pipe, Alrm, Term,
    Stkflt, Chld, Cont, Stop, Tstp, Ttin, Ttou, Urg, Xcpu, Xfsz, Vtalrm, Prof, Winch, Io, Pwr, Sys,
}

/// <summary>A process's end as a shell reports it: the exit code, or 128 + N when signal N ended it.</summary>
public static class ExitStatus
{
    private const int SignalBase = 128, MaxSignal = 64;

    /// <summary>The status of a process that signal <paramref name="signal"/> ended.</summary>
    public static int Of(Signal signal) => SignalBase + (int)signal;

    /// <summary>The signal that ended the process, or null when it exited.</summary>
    public static Signal? SignalOf(int status) => status is > SignalBase and <= SignalBase + MaxSignal ? (Signal)(status - SignalBase) : null;
}
