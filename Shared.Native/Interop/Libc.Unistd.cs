using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>unistd.h, fcntl.h, sys/uio.h, sys/ioctl.h, sys/eventfd.h, sys/mman.h, poll.h, and stdlib.h's setenv and unsetenv.</summary>
internal static unsafe partial class Libc
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000,
        O_PATH = 0x200000;
    public const int F_GETFL = 3, F_SETFL = 4, F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    public const int EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK;
    public const short POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec { public void* Base; public nuint Length; }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd { public int Fd; public short Events; public short Revents; }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unsetenv(string name);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(SafeFd fd, byte* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(SafeFd fd, byte* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint pread(SafeFd fd, byte* buf, nuint count, long offset);

    public const int SEEK_END = 2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(SafeFd fd, long offset, int whence);

    public const uint MFD_CLOEXEC = 1;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint writev(SafeFd fd, IoVec* iov, int iovcnt);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(SafeFd fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(SafeFd fd, nuint request, void* arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int dup3(int oldfd, int newfd, int flags);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc")]
    public static partial uint getegid();

    public const int LOCK_EX = 2, LOCK_NB = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(SafeFd fd, int operation);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint write_raw(int fd, byte* buf, nuint count);

    [LibraryImport("libc")]
    public static partial int getpid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);
}
