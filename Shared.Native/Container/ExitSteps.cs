using System.Globalization;

namespace Containet.Native;

/// <summary>
/// The clean-up a launcher leaves to containet-wait (shim/wait.c) when it hands its waiting over with
/// <see cref="ContainerProcess.HandOff"/>: steps run in order after the container's first process ends, and
/// the fds they use (and any lock that must hold until then) stay open across the exec.
/// </summary>
public sealed class ExitSteps
{
    private readonly List<string> arguments = [];
    private readonly List<SafeFd> kept = [];

    internal IReadOnlyList<string> Arguments => arguments;
    internal IReadOnlyList<SafeFd> Kept => kept;

    /// <summary>Writes <paramref name="request"/> to a connected socket and waits briefly for its reply.</summary>
    public void Send(SafeFd socket, string request)
    {
        kept.Add(socket);
        arguments.AddRange(["--send", socket.Number.ToString(CultureInfo.InvariantCulture), request]);
    }

    /// <summary>Prints a line on stderr.</summary>
    public void Say(string line) => arguments.AddRange(["--say", line]);

    /// <summary>Removes everything inside a directory and keeps the directory.</summary>
    public void Empty(string directory) => arguments.AddRange(["--empty", directory]);

    /// <summary>Removes a directory and everything inside it.</summary>
    public void Remove(string directory) => arguments.AddRange(["--remove", directory]);

    /// <summary>
    /// Removes a cgroup directory, retrying while the kernel still counts the container's last processes in it
    /// (EBUSY) for up to about 2 s.
    /// </summary>
    public void RemoveCgroup(string directory) => arguments.AddRange(["--rmdir", directory]);

    /// <summary>Keeps an fd (a lock, say) open until the waiter exits.</summary>
    public void Keep(SafeFd fd) => kept.Add(fd);
}
