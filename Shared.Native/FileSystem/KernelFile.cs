using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A kernel interface file (cgroupfs, procfs) open for writing. It must exist: the kernel makes these files,
/// so one that is missing means a controller that is not there, never a file to create. Each value goes in a
/// write(2) of its own, as these files take one setting per write.
/// </summary>
public sealed class KernelFile : IDisposable
{
    private readonly SafeFd fd;

    public string Path { get; }

    private KernelFile(string path, SafeFd fd)
    {
        Path = path;
        this.fd = fd;
    }

    public static KernelFile Open(string path) =>
        new(path, SafeFd.Check(Libc.open(path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0), "open", path));

    /// <summary>Writes one value and a newline, as echo would; the error names the value the kernel refused.</summary>
    public void Write(string value)
    {
        var n = FdIo.Write(fd, System.Text.Encoding.UTF8.GetBytes(value + "\n"));
        if (n < 0) throw new NativeException(-n, "write", $"'{value}' to {Path}");
    }

    public void Dispose() => fd.Dispose();
}
