using System.Globalization;
using System.Runtime.InteropServices;

namespace Containet.Native;

/// <summary>The errno values the product code reacts to, and symbolic names for messages.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
        ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18,
        ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, ENOSPC = 28,
        ESPIPE = 29, EROFS = 30, EPIPE = 32, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
        ENODATA = 61, EBADFD = 77, ENOTSOCK = 88, EMSGSIZE = 90, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
        EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100, ECONNRESET = 104, ENOBUFS = 105,
        ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113, EINPROGRESS = 115, ENETUNREACH = 101;

    /// <summary>The symbolic name the C library gives <paramref name="errno"/> ("ENETUNREACH"), or "errno N" for one it does not know.</summary>
    public static string Name(int errno) =>
        Marshal.PtrToStringUTF8(Interop.Libc.strerrorname_np(errno)) ?? "errno " + errno.ToString(CultureInfo.InvariantCulture);
}
