using Containet.Native;

namespace Containet.Protocol;

/// <summary>What to tell a user whose connection to a switch's control socket failed: written once for every program.</summary>
public static class SwitchUnreachable
{
    /// <summary>The advice for <paramref name="e"/>, or null when the error is not about reaching the switch.</summary>
    public static string? Advice(NativeException e, string socket) => e.Errno switch
    {
        Errno.ENOENT or Errno.ECONNREFUSED or Errno.ENOTSOCK when IsSomethingElse(socket) =>
            $"{socket} is not a socket: give the switch's control socket with -s (default {DefaultPath})",
        Errno.ENOENT or Errno.ECONNREFUSED or Errno.ENOTSOCK or Errno.ENOTDIR =>
            $"no switch is listening on {socket} ({e.ErrnoName}): start one with `containet -s {socket}`",
        Errno.EACCES or Errno.EPERM =>
            $"permission denied on {socket}: run as root or as a member of the switch's --group",
        _ => null,
    };

    private static bool IsSomethingElse(string path)
    {
        try
        {
            return Posix.TypeOf(path) is not (Posix.FileType.Missing or Posix.FileType.Socket);
        }
        catch (NativeException)
        {
            return false;
        }
    }

    /// <summary>Where a switch listens unless told otherwise.</summary>
    public const string DefaultPath = "/run/containet/containet.sock";
}
