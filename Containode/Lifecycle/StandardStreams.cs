using Containet.Native;

namespace Containode;

/// <summary>The launcher's own fds 0-2, which its container inherits.</summary>
public static class StandardStreams
{
    /// <summary>Gives the command no stdin, as docker run without -i does.</summary>
    public static void CloseInput() => ToNull(0);

    public static void ToNull(params int[] fds)
    {
        using var devNull = Posix.OpenNull();
        foreach (var fd in fds) Posix.Redirect(devNull, fd);
    }
}
