using System.Collections.Concurrent;
using Containet.Native;

namespace Containet.Switching;

/// <summary>
/// Network namespaces made ahead of time, each with lo up and an eth0 TAP, so a launcher that takes one
/// (take-netns) skips making them. The TAP is opened inside its namespace: moving one in would hold the
/// kernel's rtnl lock through an RCU grace period, stalling every other network change on the
/// host, a starting container's included. Opened inside, the TAP's fd keeps the namespace alive, so the
/// switch ends such a port itself: on remove-etherfd or when the connection that took it closes.
/// </summary>
public sealed class NetnsPool(int size) : IDisposable
{
    public const string Interface = "eth0";

    /// <summary>How the switch opens the TAPs it makes inside namespaces: no packet information, a virtio-net header.</summary>
    public const TapFlags Flags = TapFlags.NoPacketInfo | TapFlags.VnetHeader;
    private readonly ConcurrentQueue<(SafeFd Namespace, TapDevice Tap)> ready = new();
    private int filling;
    private volatile bool disposed;

    /// <summary>Starts filling the pool; call once the switch is up.</summary>
    public void Start() => Refill();

    /// <summary>A namespace with its TAP, from the pool when one is ready, else made now.</summary>
    public (SafeFd Namespace, TapDevice Tap) Take()
    {
        var entry = ready.TryDequeue(out var e) ? e : Make();
        Refill();
        return entry;
    }

    private static (SafeFd, TapDevice) Make() => NetNamespace.CreateNew(() =>
    {
        Netlink.SetLinkUp("lo");
        return TapDevice.Create(Interface, Flags);
    });

    private void Refill()
    {
        if (size <= 0 || disposed || Interlocked.CompareExchange(ref filling, 1, 0) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                while (!disposed && ready.Count < size) ready.Enqueue(Make());
            }
            catch (Exception e) when (e is NativeException or OutOfMemoryException or ThreadStartException)
            {
                // No namespaces, TAPs or threads to be had now: takers make their own, or are refused.
            }
            finally
            {
                Volatile.Write(ref filling, 0);
            }
        }, null);
    }

    public void Dispose()
    {
        disposed = true;
        while (ready.TryDequeue(out var e))
        {
            e.Tap.Dispose();
            e.Namespace.Dispose();
        }
    }
}
