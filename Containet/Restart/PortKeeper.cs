using Containet.Protocol;
using Containet.Native;
using Containet.Ports;
using Containet.Switching;
using Microsoft.Extensions.Logging;

namespace Containet.Restart;

/// <summary>
/// What lets a switch that died (kill -9, a crash) get its ports back when it starts again. A take-netns port's
/// namespace is pinned under DIR/netns/NODE and its TAP made persistent, so neither dies with the switch; the
/// state file lists every port with its token and the process that launched it. On start the switch re-opens
/// each such TAP by name inside its pinned namespace and plugs it in again, for as long as its launcher lives;
/// it says which ports cannot come back (add-etherfd's, whose only fd died with the old switch) and removes
/// pins nothing needs. A clean stop (SIGTERM) ends every port and leaves nothing to restore.
/// </summary>
public sealed class PortKeeper : IDisposable
{
    private const string PinDirectory = "netns";

    private readonly string statePath;
    private readonly string pins;
    private readonly FrameSwitch frameSwitch;
    private readonly ILogger logger;
    private readonly SafeFd stateLock;
    private readonly Dictionary<Port, KeptPort> kept = [];
    private readonly HashSet<Port> restored = [];
    private readonly Timer watch;
    private bool closing;

    public PortKeeper(string directory, FrameSwitch frameSwitch, ILogger logger)
    {
        this.frameSwitch = frameSwitch;
        this.logger = logger;
        pins = Path.Combine(directory, PinDirectory);
        Directory.CreateDirectory(pins);
        statePath = Path.Combine(directory, "containet.state");
        stateLock = Posix.TryLock(Path.Combine(directory, "containet.lock"))
            ?? throw new InvalidOperationException($"another switch keeps its state in {directory}: give this one its own --state-dir");
        watch = new Timer(_ => EndOrphans(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private string PinOf(string node) => Path.Combine(pins, node);

    /// <summary>Plugs in again what the last switch left, and clears what nothing needs. Call once, before serving.</summary>
    public void Restore()
    {
        List<KeptPort> last;
        try
        {
            last = StateFile.Load(statePath);
        }
        catch (InvalidDataException e)
        {
            ContainetLog.StateUnreadable(logger, e.Message);
            last = [];
        }
        var back = new HashSet<string>();
        foreach (var entry in last)
        {
            if (!Names.IsNodeId(entry.NodeId) || !Names.IsInterface(entry.IfName)) continue;
            if (entry.Launcher is not { } launcher)
                ContainetLog.PortLost(logger, $"{entry.NodeId}/{entry.IfName}", "it was added with add-etherfd, and its only fd died with the previous switch");
            else if (!launcher.IsAlive)
                ContainetLog.PortLost(logger, $"{entry.NodeId}/{entry.IfName}", $"its launcher (pid {launcher.Pid}) is gone");
            else if (Reopen(entry) is { } port)
            {
                lock (kept)
                {
                    kept[port] = entry;
                    restored.Add(port);
                }
                back.Add(entry.NodeId);
                ContainetLog.PortRestored(logger, port.Name, launcher.Pid);
            }
        }
        foreach (var pin in Directory.GetFiles(pins))
            if (!back.Contains(Path.GetFileName(pin))) Clear(pin);
        Save();
    }

    private Port? Reopen(KeptPort entry)
    {
        try
        {
            using var ns = NetNamespace.Open(PinOf(entry.NodeId));
            var tap = NetNamespace.Run(ns, () => TapDevice.Reopen(entry.IfName, NetnsPool.Flags));
            return frameSwitch.AddPort(entry.NodeId, entry.IfName, entry.Token, tap);
        }
        catch (Exception e) when (e is NativeException or InvalidOperationException)
        {
            ContainetLog.PortLost(logger, $"{entry.NodeId}/{entry.IfName}", e.Message);
            return null;
        }
    }

    /// <summary>Removes a pin nothing needs, and the persistent TAP in its namespace, which would outlive any process there.</summary>
    private void Clear(string pin)
    {
        try
        {
            using var ns = NetNamespace.Open(pin);
            NetNamespace.Run(ns, () =>
            {
                using var tap = TapDevice.Reopen(NetnsPool.Interface, NetnsPool.Flags);
                tap.SetPersistent(false);
                return true;
            });
        }
        catch (NativeException)
        {
            // Not a namespace, or no TAP left in it: the pin is all there is to remove.
        }
        if (RemovePin(pin)) ContainetLog.PinRemoved(logger, Path.GetFileName(pin));
    }

    /// <summary>Removes a pin; a failure is logged, not thrown, since it comes on whatever thread ended a port.</summary>
    private bool RemovePin(string pin)
    {
        try
        {
            NetNamespace.Unpin(pin);
            return true;
        }
        catch (IOException e)
        {
            ContainetLog.UnpinFailed(logger, pin, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Pins a taken namespace and makes its TAP persistent before it becomes a port; false (nothing pinned) when
    /// the system will not, and the port then simply ends with the switch, as ports did before.
    /// </summary>
    public bool Pin(string node, SafeFd ns, TapDevice tap)
    {
        var path = PinOf(node);
        try
        {
            NetNamespace.Pin(ns, path);
        }
        catch (NativeException e) when (e.Errno == Errno.EEXIST)
        {
            return false; // the node's port has it; adding the port will say so
        }
        catch (NativeException e)
        {
            ContainetLog.PinFailed(logger, node, e.Message);
            return false;
        }
        try
        {
            tap.SetPersistent(true);
            return true;
        }
        catch (NativeException e)
        {
            RemovePin(path);
            ContainetLog.PinFailed(logger, node, e.Message);
            return false;
        }
    }

    /// <summary>Undoes <see cref="Pin"/> for a port that did not come to be.</summary>
    public void Unpin(string node) => RemovePin(PinOf(node));

    /// <summary>Records a new port; <paramref name="launcher"/> is set for a pinned take-netns port, which can come back.</summary>
    public void Keep(Port port, ProcessIdentity? launcher)
    {
        lock (kept)
        {
            kept[port] = new KeptPort(port.NodeId, port.IfName, port.Token, launcher);
            Save();
        }
        if (port.CloseReason is not null) Forget(port); // it ended before it was recorded
    }

    /// <summary>A port ended: its TAP stops being persistent (it is still open), its pin goes, and so does its record.</summary>
    public void Forget(Port port)
    {
        lock (kept)
        {
            if (!kept.Remove(port, out var entry)) return;
            restored.Remove(port);
            if (entry.Launcher is not null)
            {
                try { port.Tap.SetPersistent(false); }
                catch (Exception e) when (e is NativeException or ObjectDisposedException) { }
                RemovePin(PinOf(port.NodeId));
            }
            Save();
        }
    }

    /// <summary>Ends restored ports whose launcher has exited: no connection of theirs survived the restart to say so.</summary>
    private void EndOrphans()
    {
        List<Port> gone = [];
        lock (kept)
            foreach (var port in restored)
                if (kept[port].Launcher is { } l && !l.IsAlive) gone.Add(port);
        foreach (var port in gone) frameSwitch.RemovePort(port, "its launcher exited");
    }

    private void Save()
    {
        lock (kept)
        {
            if (!closing) SavedFile.TryWrite(logger, "state", statePath, () => StateFile.Save(statePath, kept.Values));
        }
    }

    /// <summary>A clean stop: the switch ends its ports next, so there is nothing for a next one to restore.</summary>
    public void Dispose()
    {
        watch.Dispose();
        lock (kept) closing = true;
        File.Delete(statePath);
        stateLock.Dispose();
    }
}
