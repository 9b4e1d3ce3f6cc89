using System.Globalization;
using Containet.Native;

namespace Containode.Cli;

/// <summary>The containers of this machine, as every verb finds them, and the detached start they share.</summary>
public static class Containers
{
    /// <summary>Made on first use: a user's state directory is checked then, and a bad one is an error, not a crash.</summary>
    public static ContainerStore Store => store.Value;

    private static readonly Lazy<ContainerStore> store = new(() => new(StateDirs.Default));

    /// <summary>
    /// Starts a container in the background: its monitor runs `containode __monitor ID` (this program, or the
    /// containode at <paramref name="containode"/>) in a session of its own and reports on a pipe, closed without a
    /// word once the command runs, or "STATUS message" when the start failed.
    /// </summary>
    public static void StartDetached(ContainerRecord record, string? containode = null)
    {
        var (read, write) = ChildProgram.Pipe();
        using (read)
        {
            using (write) ChildProgram.StartInSession([containode ?? Environment.ProcessPath!, Verbs.MonitorVerb, record.Id], write);
            var report = FdIo.ReadToEnd(read).Trim();
            if (report.Length == 0) return;
            var space = report.IndexOf(' ');
            var status = space > 0 && int.TryParse(report.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 1;
            var message = space > 0 ? report[(space + 1)..] : report;
            if (status == 1) throw new LaunchException(message);
            throw new CommandFailedException(message, status);
        }
    }

    /// <summary>A container not running, or a clear error.</summary>
    public static void EnsureStopped(ContainerRecord record, string what)
    {
        if (record.Status().State == ContainerStatus.Phase.Running)
            throw new LaunchException($"container {record.Name} is running: stop it first, or {what}");
    }
}
