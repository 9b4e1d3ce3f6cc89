using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// The signals a launcher forwards (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH: one list, in
/// shim/spawn.h, that containet-wait and --init's PID 1 share) go to its container's first process instead. Installed
/// before anything is made, so a signal that arrives while the container is being set up is held and
/// delivered as soon as it exists, and the launcher still cleans up as usual. The handler is C
/// (shim/handoff.c): no managed dispatch sits between the signal and the container, so none is lost when the
/// launcher hands its waiting over to containet-wait.
/// </summary>
public sealed unsafe class SignalForwarding : IDisposable
{
    public SignalForwarding()
    {
        var r = Shim.ForwardSignals();
        if (r < 0) throw new NativeException(-r, "sigaction");
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "forwarding is this instance's, installed by its constructor and ended by its Dispose")]
    public void Attach(ContainerProcess target) => Shim.ForwardTo(target.Pid);

    /// <summary>Stops forwarding, so that a signal never reaches a process that reused a reaped pid.</summary>
    public void Dispose() => Shim.ForwardTo(0);
}
