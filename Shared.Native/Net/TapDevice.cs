using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>A TAP device's file descriptor, its name and how it frames packets.</summary>
public sealed unsafe class TapDevice : IDisposable
{
    /// <summary>The virtio-net header length the switch and containode use (with num_buffers, as virtio 1.0).</summary>
    public const int VnetHeaderSize = 12;

    public SafeFd Handle { get; }
    public string Name { get; }
    public TapFlags Flags { get; }

    private TapDevice(SafeFd handle, string name, TapFlags flags)
    {
        Handle = handle;
        Name = name;
        Flags = flags;
    }

    /// <summary>
    /// Creates (or attaches to) TAP <paramref name="name"/> in the calling thread's network namespace. For a device
    /// that must live in another namespace use <see cref="CreateIn"/>.
    /// </summary>
    public static TapDevice Create(string name, TapFlags flags)
    {
        var fd = SafeFd.Check(Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", "/dev/net/tun");
        try
        {
            var req = new Libc.IfReq { Flags = (short)(Libc.IFF_TAP | (short)flags) };
            WriteName(ref req, name);
            NativeException.Check(Libc.ioctl(fd, Libc.TUNSETIFF, &req), "ioctl TUNSETIFF", name);
            var tap = new TapDevice(fd, ReadName(ref req), flags);
            if (flags.HasFlag(TapFlags.VnetHeader))
                tap.SetVnetHeaderSize(VnetHeaderSize);
            return tap;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a persistent TAP that already exists in the calling thread's network namespace, never making a new
    /// one: ENODEV if there is none by that name.
    /// </summary>
    public static TapDevice Reopen(string name, TapFlags flags)
    {
        Netlink.LinkIndex(name);
        return Create(name, flags);
    }

    /// <summary>
    /// Creates TAP <paramref name="name"/> inside the network namespace <paramref name="nsFd"/> refers to, the way a
    /// container's eth0 must be made. The TAP is opened here and then moved there: a TAP opened from inside a namespace
    /// holds that namespace alive for as long as its fd is open, so a switch holding the fd would keep a dead
    /// container's network alive and never see its port go away. Opened here, the device is destroyed with the
    /// namespace and reads on the fd fail with EBADFD, which ends the switch port.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the device under its new name takes the temporary one's handle; a failure disposes it")]
    public static TapDevice CreateIn(SafeFd nsFd, string name, TapFlags flags)
    {
        var temporary = "ctn" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.NextInt64()))[..12].ToLowerInvariant();
        var tap = Create(temporary, flags);
        try
        {
            Netlink.MoveToNamespace(temporary, nsFd, name);
            return new TapDevice(tap.Handle, name, flags);
        }
        catch
        {
            tap.Dispose();
            throw;
        }
    }

    /// <summary>Reads an fd's own TAP configuration (TUNGETIFF); throws EBADFD/EINVAL/ENOTTY for a non-TAP fd.</summary>
    public static (string Name, TapFlags Flags) Query(SafeFd fd)
    {
        var req = GetIff(fd);
        if ((req.Flags & Libc.IFF_TAP) == 0)
            throw new NativeException(Errno.EINVAL, "ioctl TUNGETIFF", $"{ReadName(ref req)} is a TUN, not a TAP");
        // TUNGETIFF reports IFF_NOFILTER, which has the same value as IFF_NO_PI, whenever no socket filter is
        // attached: the bit is then ambiguous. With an accept-all filter attached for the moment of the query it
        // means IFF_NO_PI alone.
        if ((req.Flags & Libc.IFF_NO_PI) != 0)
        {
            var accept = new Libc.SockFilter { Code = Libc.BPF_RET_K, K = uint.MaxValue };
            var program = new Libc.SockFprog { Len = 1, Filter = &accept };
            NativeException.Check(Libc.ioctl(fd, Libc.TUNATTACHFILTER, &program), "ioctl TUNATTACHFILTER");
            try
            {
                req = GetIff(fd);
            }
            finally
            {
                Libc.ioctl(fd, Libc.TUNDETACHFILTER, &program);
            }
        }
        return (ReadName(ref req), (TapFlags)(req.Flags & (Libc.IFF_NO_PI | Libc.IFF_VNET_HDR)));
    }

    private static Libc.IfReq GetIff(SafeFd fd)
    {
        var req = new Libc.IfReq();
        NativeException.Check(Libc.ioctl(fd, Libc.TUNGETIFF, &req), "ioctl TUNGETIFF");
        return req;
    }

    /// <summary>Wraps an fd received from a client, after checking it is a TAP.</summary>
    public static TapDevice Adopt(SafeFd fd)
    {
        var (name, flags) = Query(fd);
        return new TapDevice(fd, name, flags);
    }

    /// <summary>Wraps any fd as if it were a TAP with these flags: tests use a datagram socket to play a stuck port.</summary>
    internal static TapDevice Impersonate(SafeFd fd, string name, TapFlags flags) => new(fd, name, flags);

    public static int GetVnetHeaderSize(SafeFd fd)
    {
        int size;
        NativeException.Check(Libc.ioctl(fd, Libc.TUNGETVNETHDRSZ, &size), "ioctl TUNGETVNETHDRSZ");
        return size;
    }

    public void SetVnetHeaderSize(int size) =>
        NativeException.Check(Libc.ioctl(Handle, Libc.TUNSETVNETHDRSZ, &size), "ioctl TUNSETVNETHDRSZ", Name);

    /// <summary>
    /// Lets the kernel hand this TAP's reader 64 KB TCP segments with partial checksums instead of
    /// MTU-sized frames: the lever that makes a userspace switch fast.
    /// </summary>
    public void EnableOffloads() => SetOffloads(Handle, Name, enabled: true);

    public static void SetOffloads(SafeFd fd, string name, bool enabled)
    {
        nuint bits = enabled ? Libc.TUN_F_CSUM | Libc.TUN_F_TSO4 | Libc.TUN_F_TSO6 | Libc.TUN_F_TSO_ECN : 0;
        NativeException.Check(Libc.ioctl(fd, Libc.TUNSETOFFLOAD, (void*)bits), "ioctl TUNSETOFFLOAD", name);
    }

    /// <summary>Keeps the device after its last fd closes, so that it can be opened again by name (<see cref="Reopen"/>).</summary>
    public void SetPersistent(bool persistent) =>
        NativeException.Check(Libc.ioctl(Handle, Libc.TUNSETPERSIST, (void*)(nuint)(persistent ? 1 : 0)), "ioctl TUNSETPERSIST", Name);

    public void Dispose() => Handle.Dispose();

    private static void WriteName(ref Libc.IfReq req, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        if (bytes.Length >= Libc.IFNAMSIZ)
            throw new ArgumentException($"interface name '{name}' is longer than {Libc.IFNAMSIZ - 1} characters", nameof(name));
        fixed (byte* p = req.Name)
            bytes.CopyTo(new Span<byte>(p, Libc.IFNAMSIZ));
    }

    private static string ReadName(ref Libc.IfReq req)
    {
        fixed (byte* p = req.Name)
        {
            var span = new ReadOnlySpan<byte>(p, Libc.IFNAMSIZ);
            var end = span.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
        }
    }
}
