using System.Runtime.InteropServices;

namespace Mocker.Cli;

/// <summary>
/// SIGINT and SIGTERM cancel the running command instead of killing it, so that a pull removes its temp
/// files and says what it kept. A second signal ends the process at once.
/// </summary>
internal static class Interruption
{
    private static readonly CancellationTokenSource Source = new();

    // Kept alive for the process's life; created with the class, on the first use of Token.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1823", Justification = "Held, never read: a collected registration would stop catching the signal.")]
    private static readonly PosixSignalRegistration[] Registrations =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel),
    ];

    public static CancellationToken Token => Source.Token;

    private static void Cancel(PosixSignalContext context)
    {
        if (Source.IsCancellationRequested) return;
        context.Cancel = true;
        Source.Cancel();
    }
}
