using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// Small text files (state records, cgroup and proc files) read and written with one open, read or write, and
/// close. File.ReadAllText and WriteAllText build a FileStream each, with flock, fstat and fresh buffers; a
/// container's start reads and writes some thirty such files, where those calls and allocations add up. Errors come as File's do: FileNotFoundException for a missing file, UnauthorizedAccessException
/// for a refused one, an IOException (NativeException) for the rest.
/// </summary>
public static unsafe class SmallFile
{
    private const int StackBytes = 4096;

    /// <summary>Caps a read: these files are a few lines, and a proc or cgroup file never ends on its own terms otherwise.</summary>
    public const int MaxBytes = 16 << 20;

    public static string Read(string path)
    {
        using var fd = Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        return ReadAll(fd, path);
    }

    /// <summary>
    /// As <see cref="Read"/>, but null when the file or a folder above it does not exist: for state a start expects
    /// to find missing, where an exception would cost it an unwind for nothing.
    /// </summary>
    public static string? ReadIfExists(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw Error(errno, "open", path);
        }
        using var handle = new SafeFd(fd);
        return ReadAll(handle, path);
    }

    private static string ReadAll(SafeFd fd, string path)
    {
        Span<byte> first = stackalloc byte[StackBytes];
        var n = ReadFull(fd, first, path);
        if (n < first.Length) return Encoding.UTF8.GetString(first[..n]);
        // Longer than one buffer (mountinfo on a busy host): go on into a growing array.
        var buffer = new byte[first.Length * 4];
        first.CopyTo(buffer);
        while (true)
        {
            var more = ReadFull(fd, buffer.AsSpan(n), path);
            n += more;
            if (n < buffer.Length) return Encoding.UTF8.GetString(buffer, 0, n);
            if (buffer.Length >= MaxBytes) throw new IOException($"{path} is longer than {MaxBytes} bytes");
            Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBytes));
        }
    }

    /// <summary>Creates or truncates PATH (mode 0644 before the umask) and writes TEXT in UTF-8.</summary>
    public static void Write(string path, string text)
    {
        using var fd = Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, (int)Mode.O644);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var done = 0; done < bytes.Length;)
        {
            var n = FdIo.Write(fd, bytes.AsSpan(done));
            done += n >= 0 ? n : throw Error(-n, "write", path);
        }
    }

    /// <summary>Reads until the span is full or the file ends; the count read.</summary>
    private static int ReadFull(SafeFd fd, Span<byte> buffer, string path)
    {
        var n = FdIo.ReadFull(fd, buffer);
        return n >= 0 ? n : throw Error(-n, "read", path);
    }

    private static SafeFd Open(string path, int flags, int mode)
    {
        var fd = Libc.open(path, flags, mode);
        if (fd < 0) throw Error(System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), "open", path);
        return new SafeFd(fd);
    }

    private static Exception Error(int errno, string call, string path) => errno switch
    {
        Errno.ENOENT => new FileNotFoundException($"{path}: no such file", path),
        Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException($"{call} {path}: permission denied"),
        _ => new NativeException(errno, call, path),
    };
}
