using System.Runtime.InteropServices;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>A file descriptor owned from the moment the kernel returns it; closing is the handle's job.</summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd() : base(new IntPtr(-1), ownsHandle: true) { }

    public SafeFd(int fd, bool ownsHandle = true) : base(new IntPtr(-1), ownsHandle) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw number, for the native layer and for handing fds to a child process plan.</summary>
    public int Number => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Libc.close((int)handle.ToInt64()) == 0;

    /// <summary>Wraps a return value: -1 throws with errno, anything else becomes an owned fd.</summary>
    internal static SafeFd Check(int fd, string syscall, string? subject = null) =>
        new(NativeException.Check(fd, syscall, subject));
}
