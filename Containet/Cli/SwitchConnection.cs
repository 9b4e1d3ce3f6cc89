using Containet.Native;
using Containet.Protocol;

namespace Containet.Cli;

/// <summary>Connects to a switch, turning the usual failures into advice.</summary>
internal static class SwitchConnection
{
    public static SwitchClient Open(string path)
    {
        try
        {
            return SwitchClient.Connect(path);
        }
        catch (NativeException e) when (e.Errno is Errno.ENOENT or Errno.ECONNREFUSED)
        {
            throw new InvalidOperationException($"no switch is listening on {path} ({e.ErrnoName}): start one with `containet -s {path}`");
        }
        catch (NativeException e) when (e.Errno == Errno.EACCES)
        {
            throw new InvalidOperationException($"permission denied on {path}: run as root or as a member of the switch's --group");
        }
    }
}
