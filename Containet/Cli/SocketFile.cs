using Containet.Native;

namespace Containet.Cli;

/// <summary>
/// Takes the switch's socket path: a stale socket file (nobody answers) is replaced, a live switch on the
/// same path is a clear error, and anything else at the path is left alone.
/// </summary>
internal static class SocketFile
{
    /// <summary>Throws if a live switch serves <paramref name="path"/> or something else than a socket is there.</summary>
    public static void CheckFree(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return;
        if ((File.GetAttributes(path) & FileAttributes.Directory) != 0 || !Posix.IsSocket(path))
            throw new InvalidOperationException($"{path} exists and is not a socket; remove it or choose another path with -s");
        try
        {
            UnixSocket.Connect(path).Dispose();
            throw new InvalidOperationException($"another switch is already serving {path}; stop it first or choose another path with -s");
        }
        catch (NativeException e) when (e.Errno == Errno.ECONNREFUSED)
        {
            // stale: nobody answers
        }
    }

    public static SafeFd Claim(string path, uint? groupId)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        CheckFree(path);
        if (File.Exists(path)) File.Delete(path);
        var listener = UnixSocket.Listen(path);
        if (groupId is { } gid) Posix.Chown(path, -1, (int)gid);
        return listener;
    }

    public static void Release(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }
}
