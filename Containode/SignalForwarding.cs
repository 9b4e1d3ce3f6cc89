using System.Runtime.InteropServices;
using Containet.Native;

namespace Containode;

/// <summary>SIGINT, SIGTERM and SIGHUP sent to containode go to the container's first process instead.</summary>
public sealed class SignalForwarding : IDisposable
{
    private readonly PosixSignalRegistration[] registrations;

    private SignalForwarding(ContainerProcess process)
    {
        registrations =
        [
            Forward(PosixSignal.SIGINT, 2, process),
            Forward(PosixSignal.SIGTERM, 15, process),
            Forward(PosixSignal.SIGHUP, 1, process),
        ];
    }

    public static SignalForwarding To(ContainerProcess process) => new(process);

    private static PosixSignalRegistration Forward(PosixSignal signal, int number, ContainerProcess process) =>
        PosixSignalRegistration.Create(signal, c =>
        {
            c.Cancel = true;
            process.Signal(number);
        });

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
    }
}
