using System.Runtime.InteropServices;

namespace Containet.Native;

/// <summary>
/// The one error of the native layer: a failed call with its errno, the syscall's name and the object
/// it was about, formatted the way crun does ("mount overlay on /x: EINVAL (Invalid argument)").
/// </summary>
public sealed class NativeException : IOException
{
    public int Errno { get; }
    public string Syscall { get; }
    public string? Subject { get; }

    public NativeException(int errno, string syscall, string? subject = null)
        : base(Format(errno, syscall, subject))
    {
        Errno = errno;
        Syscall = syscall;
        Subject = subject;
        HResult = errno;
    }

    public string ErrnoName => Native.Errno.Name(Errno);

    /// <summary>Builds the exception from the errno the last <c>SetLastError</c> import left behind.</summary>
    internal static NativeException Last(string syscall, string? subject = null) =>
        new(Marshal.GetLastPInvokeError(), syscall, subject);

    /// <summary>Throws when a libc call returned -1.</summary>
    internal static int Check(int result, string syscall, string? subject = null) =>
        result == -1 ? throw Last(syscall, subject) : result;

    internal static long Check(long result, string syscall, string? subject = null) =>
        result == -1 ? throw Last(syscall, subject) : result;

    private static string Format(int errno, string syscall, string? subject) =>
        $"{syscall}{(subject is null ? "" : " " + subject)}: {Native.Errno.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
