using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// What the kernel says about a namespace fd someone handed over (ioctl_ns(2)): its type, and the user namespace
/// that owns it, with that user namespace's creator. A peer's word about a namespace is never taken: these are
/// asked of the fd itself.
/// </summary>
public static unsafe class NamespaceFile
{
    /// <summary>The namespace's type; throws (ENOTTY, EBADF) for an fd that is not a namespace.</summary>
    public static Namespaces TypeOf(SafeFd fd)
    {
        var type = Libc.ioctl(fd, Libc.NS_GET_NSTYPE, null);
        NativeException.Check(type, "ioctl NS_GET_NSTYPE");
        return (Namespaces)type;
    }

    /// <summary>
    /// The user namespace that owns <paramref name="ns"/>: whether it is the caller's own (for a switch run as the
    /// host's root, the host's), and the uid that created it, as the caller sees it. EPERM when the owner is outside
    /// the caller's user namespace.
    /// </summary>
    public static (bool Callers, uint CreatorUid) OwnerOf(SafeFd ns)
    {
        using var owner = SafeFd.Check(Libc.ioctl(ns, Libc.NS_GET_USERNS, null), "ioctl NS_GET_USERNS");
        uint uid;
        NativeException.Check(Libc.ioctl(owner, Libc.NS_GET_OWNER_UID, &uid), "ioctl NS_GET_OWNER_UID");
        using var own = SafeFd.Check(Libc.open("/proc/thread-self/ns/user", Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/user");
        return (Ancestry.Identify(owner, "user namespace") == Ancestry.Identify(own, "/proc/thread-self/ns/user"), uid);
    }
}
