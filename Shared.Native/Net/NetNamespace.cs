using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// Runs work inside another network namespace. setns(CLONE_NEWNET) affects only the calling thread, so the
/// work gets a fresh thread that is thrown away afterwards rather than returned to a pool in the wrong namespace.
/// </summary>
public static class NetNamespace
{
    /// <summary>The file `ip netns add NAME` bind-mounts.</summary>
    public static string PathOf(string name) => name.Contains('/') ? name : "/var/run/netns/" + name;

    /// <summary>Opens a namespace by `ip netns` name or path (e.g. /proc/PID/ns/net).</summary>
    public static SafeFd Open(string pathOrName)
    {
        var path = PathOf(pathOrName);
        return SafeFd.Check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open network namespace", path);
    }

    /// <summary>
    /// Makes a new, empty network namespace and returns an fd that keeps it alive. A throw-away thread
    /// unshares it, so the process's own threads stay where they are.
    /// </summary>
    public static SafeFd CreateNew() => CreateNew(() => true).Namespace;

    /// <summary>
    /// <see cref="CreateNew()"/>, running <paramref name="inside"/> in the new namespace on the same throw-away
    /// thread, which saves a second thread for set-up that belongs there (lo, a TAP opened inside).
    /// </summary>
    public static (SafeFd Namespace, T Result) CreateNew<T>(Func<T> inside) => OnOwnThread("netns-new", () =>
    {
        NativeException.Check(Libc.unshare(Libc.CLONE_NEWNET), "unshare", "network namespace");
        var ns = SafeFd.Check(Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/net");
        try
        {
            return (ns, inside());
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    });

    /// <summary>
    /// Pins a namespace to a file, as `ip netns add` does: a bind mount that keeps it alive without any process or
    /// fd, until <see cref="Unpin"/>. The file must not exist yet (EEXIST otherwise).
    /// </summary>
    public static void Pin(SafeFd nsFd, string path)
    {
        SafeFd.Check(Libc.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, (int)Mode.O444), "create", path).Dispose();
        if (Libc.mount($"/proc/self/fd/{nsFd.Number}", path, null, Libc.MS_BIND, 0) == 0) return;
        var e = NativeException.Last("mount --bind network namespace on", path);
        File.Delete(path);
        throw e;
    }

    /// <summary>Undoes <see cref="Pin"/>; a file that is not (or no longer) a pin is just removed.</summary>
    public static void Unpin(string path)
    {
        if (Libc.umount2(path, Libc.MNT_DETACH) != 0)
        {
            var e = NativeException.Last("umount", path);
            if (e.Errno is not (Errno.EINVAL or Errno.ENOENT)) throw e;
        }
        File.Delete(path);
    }

    public static T Run<T>(string pathOrName, Func<T> work)
    {
        using var ns = Open(pathOrName);
        return Run(ns, work);
    }

    /// <summary>
    /// Moves the calling thread into the namespace. Only for a thread made for the purpose, which must end
    /// afterwards: a pool thread left in another namespace would open later sockets there.
    /// </summary>
    public static void Enter(SafeFd nsFd) =>
        NativeException.Check(Libc.setns(nsFd, Libc.CLONE_NEWNET), "setns", "network namespace");

    public static T Run<T>(SafeFd nsFd, Func<T> work) => OnOwnThread("netns", () =>
    {
        Enter(nsFd);
        return work();
    });

    /// <summary>Runs <paramref name="work"/> on a thread of its own that ends with it, and rethrows what it threw.</summary>
    private static T OnOwnThread<T>(string name, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = name };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }
}
