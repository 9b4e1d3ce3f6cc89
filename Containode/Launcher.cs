using System.Net;
using System.Runtime.InteropServices;
using Containet.Native;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// A container's whole life in one place, in a fixed order: check, prepare TOP, plan, clone, plug in the
/// network, let it run, wait, clean up. The kernel mechanics live in RootfsPlan, NetworkAttachment and the
/// shim; this class only sequences them.
/// </summary>
public static class Launcher
{
    public static int Run(LaunchOptions o)
    {
        if (!Posix.IsRoot) o = Rootless.Prepare(o);
        var root = o.Root is null ? null : Path.GetFullPath(o.Root);
        if (root is not null && !Directory.Exists(root))
            throw new LaunchException(File.Exists(root) ? $"root {root} is not a directory" : $"root {root} does not exist (-r)");
        var address = o.Address is null ? ((IPAddress, int)?)null : ParseAddress(o.Address);
        var gateway = o.Gateway is null ? null : ParseAddress(o.Gateway).Address;
        var mac = o.Mac is null ? Addressing.RandomMac() : ParseMac(o.Mac);
        if (o.ShareNetwork && (o.Socket is not null || address is not null))
            throw new UsageException("-N shares the host's network: -s and -4 need the container's own");
        if (o.Socket is null && (address is not null || o.Mac is not null || o.Mtu is not null || o.Gateway is not null || o.CtrlSocketPath is not null))
            throw new UsageException("-4, --mac, --mtu, --gateway and -p configure eth0, which exists only with a switch (-s)");
        foreach (var v in o.Volumes)
            if (!Path.Exists(Volume.Parse(v).Source))
                throw new LaunchException($"bind-mount source {Volume.Parse(v).Source} does not exist (-v {v})");

        if (o.NoOverlay && o.Top is not null)
            throw new UsageException("-C writes straight into ROOT, so there is no TOP to give with -t");
        if (root is null && (o.Top is not null || o.NoOverlay || o.ReadOnlyRoot))
            throw new UsageException("-t, -C and --read-only need a root filesystem (-r)");
        if (root is not null && o.ReadWriteHostRoot)
            throw new UsageException("--rw-host-root is for running on the host's root, without -r");
        ResourceOptions.Check(o.Resources);
        var storage = o.Resources.StorageSize;
        if (storage is not null && (root is null || o.NoOverlay || o.Top is not null))
            throw new UsageException("--storage-opt size= keeps the changes in an image that goes with the container: it needs a root (-r) with its overlay (no -C), and no TOP (-t)");
        if (!Posix.IsRoot && (o.Resources.NeedsCgroup || storage is not null))
            throw new LaunchException("resource limits need a cgroup and --storage-opt a loop device of the container's own, which containode makes only as root");
        var identity = o.Identity ?? (o.Top is not null && root is not null ? Identity.FromTop(root, o.Top) : null) ?? Identity.Random();
        if (!Identity.IsValid(identity))
            throw new UsageException($"bad identity '{identity}'{(o.Identity is null ? " (from TOP's name)" : "")}: at most 64 letters, digits, '.', '-' and '_', starting with a letter or digit; name it with -i");
        var topPath = o.Top is not null ? Path.GetFullPath(o.Top) : root is not null && !o.NoOverlay && storage is null ? (Posix.IsRoot ? root + "." + identity : Rootless.Top(identity)) : null;
        if (topPath is not null && (Ancestry.IsWithin(topPath, root!) || Ancestry.IsWithin(root!, topPath)))
            throw new UsageException($"TOP {topPath} and ROOT {root} must not lie inside each other: the changes would land in the image (-t)");
        _ = o.Namespaces.Mapping(); // refuses a bad mapping before anything is made
        var security = SecurityPolicy.From(o);
        var devices = DeviceList(o);
        if (root is null)
            Posix.WriteError(o.ReadWriteHostRoot
                ? "containode: no root given (-r): the container runs on the host's root, read-write (--rw-host-root)"
                : "containode: no root given (-r): the container runs on the host's root, read-only, with its own /tmp and /run");

        using var signals = new SignalForwarding();
        using var network = new NetworkAttachment(o.Socket, o.Token, identity, new InterfaceConfig(mac, address, o.Mtu, gateway), o.Publish);
        using var top = topPath is null ? null : TopDirectory.Claim(topPath);
        using var runDir = RunDirectory.Claim(identity);
        using var cgroup = Posix.IsRoot ? ContainerCgroup.Create(CgroupHost.Detect(), identity, o.Resources.CgroupParent) : Rootless.NoCgroup();
        try
        {
            cgroup.Apply(new CgroupSettings(DeviceRules.For(o.Privileged, devices)) { Resources = o.Resources });
            new StatsSources(identity, cgroup.ByController, o.Socket).Write(runDir.Path);
            // The layer's image is made where TOP would be, beside ROOT, so it weighs on the same disk.
            using var layer = storage is { } size ? WritableLayer.Create(Path.GetDirectoryName(root)!, size, Path.Combine(runDir.Path, "layer")) : null;
            var plan = BuildPlan(o with { Root = root }, top, layer, runDir.Path, identity, network.Prepare(), network.FromSwitch, security, devices, cgroup, network.Grant?.Dns);
            var code = RunContainer(plan, o, identity, network, signals, () => ExitSteps(top, network, runDir, cgroup));
            if (top is not null) Posix.WriteError(SavedMessage(top));
            return code;
        }
        finally
        {
            // Reached only when containode waited itself (or failed); once containet-wait took over, it removes the cgroup.
            cgroup.Remove();
        }
    }

    private static List<DeviceNodes.Node> DeviceList(LaunchOptions o)
    {
        var devices = new List<DeviceNodes.Node>(DeviceNodes.Standard);
        foreach (var spec in o.Devices) devices.Add(DeviceNodes.Parse(spec));
        return devices;
    }

    private static ContainerPlan BuildPlan(LaunchOptions o, TopDirectory? top, WritableLayer? layer, string runDir, string identity, SafeFd? network, bool fromSwitch,
        SecurityPolicy security, IReadOnlyList<DeviceNodes.Node> devices, ContainerCgroup cgroup, IPAddress? nameserver)
    {
        // With a switch the child joins the network namespace containode made (NetworkAttachment); else it clones its own.
        var namespaces = ((Namespaces.Mount | Namespaces.Pid | Namespaces.Uts) & ~o.Namespaces.Host) | (o.ShareIpc ? 0 : Namespaces.Ipc)
            | (o.ShareNetwork || network is not null ? 0 : Namespaces.Network);
        // The child starts in its cgroup v2 (CLONE_INTO_CGROUP), joins its v1 ones, and only then takes a cgroup
        // namespace, so that namespace is rooted at the container's own cgroup.
        var plan = new ContainerPlan { Namespaces = namespaces, Init = o.Init, Cgroup = cgroup.UnifiedDirectory };
        if (o.Namespaces.Mapping() is { } mapping)
        {
            UserNamespacePlan.Add(plan, mapping, top);
            if (mapping.HostRoot is { } owner) cgroup.LetJoin(owner);
        }
        foreach (var procs in cgroup.ProcsFiles) plan.WriteHostFile(procs, "0");
        if (!o.Namespaces.Host.HasFlag(Namespaces.Cgroup)) plan.Unshare(Namespaces.Cgroup);
        if (o.Namespaces.Time) plan.NewTimeNamespace();
        if (network is not null) plan.JoinNetwork(network);
        if (!o.ShareNetwork && !fromSwitch) plan.LinkUp("lo");
        Directory.CreateDirectory(Path.Combine(runDir, "rootfs"));
        RootfsPlan.Add(plan, o, top, layer, runDir, identity, devices, nameserver);
        if (!o.Namespaces.Host.HasFlag(Namespaces.Uts)) plan.Hostname(identity);
        if (o.CtrlSocketPath is not null) plan.Listen(o.CtrlSocketPath);
        plan.ChangeDirectory(o.WorkingDirectory);
        plan.WaitForParent();
        security.AddTo(plan);
        return plan;
    }

    private static string SavedMessage(TopDirectory top) => $"fs modifications saved to {top.Path}";

    /// <summary>The clean-up of <see cref="Run"/>'s finally and disposals, in the same order, for containet-wait.</summary>
    private static ExitSteps ExitSteps(TopDirectory? top, NetworkAttachment network, RunDirectory runDir, ContainerCgroup cgroup)
    {
        var steps = new ExitSteps();
        if (top is not null) steps.Say(SavedMessage(top));
        network.AddExitSteps(steps);
        runDir.AddExitSteps(steps);
        top?.AddExitSteps(steps);
        cgroup.AddExitSteps(steps);
        return steps;
    }

    private static int RunContainer(ContainerPlan plan, LaunchOptions o, string identity, NetworkAttachment network, SignalForwarding signals, Func<ExitSteps> exitSteps)
    {
        var env = ContainerEnvironment.Build(identity, o.Environment);
        using var process = ContainerProcess.Start(plan, o.Command, env);
        if (process.IdmapUnsupported is { } why) Posix.WriteError(UserNamespacePlan.NoIdmapMessage(why));
        signals.Attach(process);
        try
        {
            if (o.CtrlSocketPath is not null)
            {
                using var listener = process.ReceiveFd();
                network.AddCtrlSock(listener);
            }
            network.Plug();
            process.Go();
            process.WaitForExec();
        }
        catch (ContainerStartException e)
        {
            process.WaitForExit();
            if (!e.IsExec) throw new LaunchException(e.Message);
            Posix.WriteError($"containode: {e.Message}");
            return e.Errno == Errno.ENOENT ? 127 : 126;
        }
        catch
        {
            // A child that failed in its plan makes the network step fail too: report the child's cause.
            var cause = process.Abort();
            process.Signal(9);
            process.WaitForExit();
            if (cause is not null) throw new LaunchException(cause.Message);
            throw;
        }
        // From here on containode only waits: containet-wait does that in its place, without the runtime.
        var failed = process.HandOff(exitSteps());
        Posix.WriteError($"containode: cannot hand the wait over ({failed.Message}); waiting here");
        return process.WaitForExit();
    }

    private static (IPAddress Address, int Prefix) ParseAddress(string text)
    {
        try { return Addressing.ParseCidr(text); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    private static byte[] ParseMac(string text)
    {
        try { return Addressing.ParseMac(text); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }
}
