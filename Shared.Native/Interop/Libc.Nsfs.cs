namespace Containet.Native.Interop;

/// <summary>linux/nsfs.h: the ioctls that tell what a namespace fd is and which user namespace owns it (ioctl_ns(2)).</summary>
internal static partial class Libc
{
    public const nuint NS_GET_USERNS = 0xb701, NS_GET_NSTYPE = 0xb703, NS_GET_OWNER_UID = 0xb704;
}
