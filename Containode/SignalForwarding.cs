using System.Runtime.InteropServices;
using Containet.Native;

namespace Containode;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP sent to containode go to the container's first process instead. Registered
/// before anything is made, so a signal that arrives while the container is still being set up is kept and
/// delivered as soon as it exists, and containode still cleans up as usual.
/// </summary>
public sealed class SignalForwarding : IDisposable
{
    private readonly PosixSignalRegistration[] registrations;
    private readonly Lock gate = new();
    private ContainerProcess? process;
    private int pending;

    public SignalForwarding()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => On(c, 2)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => On(c, 15)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => On(c, 1)),
        ];
    }

    public void Attach(ContainerProcess target)
    {
        lock (gate)
        {
            process = target;
            if (pending != 0) target.Signal(pending);
        }
    }

    private void On(PosixSignalContext context, int number)
    {
        context.Cancel = true;
        lock (gate)
        {
            if (process is null) pending = number;
            else process.Signal(number);
        }
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
    }
}
