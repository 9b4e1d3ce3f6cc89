using Containet.Native;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// A container's start in one place, in a fixed order: resolve, claim (network, TOP, run directory, cgroup), plan,
/// clone, plug in the network, let it run, record it, and become its monitor. The kernel mechanics live in
/// RootfsPlan, NetworkAttachment, ContainerCgroup and the shim; this class only sequences them. Its clean-up is
/// one description (<see cref="CleanUp"/>) that containet-wait runs at exit, or this launcher when the start fails.
/// </summary>
public static class Launcher
{
    /// <summary>
    /// The size at which a container's log starts anew (the old one kept as container.log.1): 10 MiB, or
    /// CONTAINET_LOG_MAX_BYTES (containode serve keeps a job's output whole, from its first byte, up to its own cap).
    /// </summary>
    public static long MaxLogBytes =>
        long.TryParse(Environment.GetEnvironmentVariable("CONTAINET_LOG_MAX_BYTES"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : 10 << 20;

    /// <summary>
    /// Starts the container and hands its waiting over to containet-wait. Returns only if the command could not
    /// be executed (126, 127) or the hand-over failed (then it waited here): the command's status.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "what the launch makes (network, top, run dir, cgroup, layer) is released by its clean-up steps, on success and on failure alike")]
    public static int Run(ContainerRecord record, LaunchMode mode)
    {
        var spec = record.Spec;
        // A user's container gets its user namespace at each start (its saved spec holds what the user gave).
        if (!Posix.IsRoot) Rootless.Prepare(spec);
        var target = LaunchTarget.Of(record);
        var security = SecurityPolicy.From(spec);
        var devices = DeviceList(spec);
        if (target.Root is null && !mode.Detached)
            Posix.WriteError(spec.ReadWriteHostRoot
                ? "containode: no root given (-r): the container runs on the host's root, read-write (--rw-host-root)"
                : "containode: no root given (-r): the container runs on the host's root, read-only, with its own /tmp and /run");

        using var signals = new SignalForwarding();
        NetworkAttachment? network = null;
        TopDirectory? top = null;
        RunDirectory? runDir = null;
        ContainerCgroup? cgroup = null;
        WritableLayer? layer = null;
        ExitSteps CleanUpSteps() => CleanUp(record, mode, network, runDir, top, cgroup);
        try
        {
            network = new NetworkAttachment(spec.Socket, spec.Token, record.Name,
                new InterfaceConfig(spec.Mac ?? Addressing.RandomMac(), spec.Address, spec.Mtu, spec.Gateway), spec.Publish);
            top = target.Top is null ? null : TopDirectory.Claim(target.Top);
            runDir = RunDirectory.Claim(record.Run, record.Name);
            cgroup = Posix.IsRoot ? ContainerCgroup.Create(CgroupHost.Detect(), record.Name, spec.Resources.CgroupParent, spec.Resources) : Rootless.NoCgroup();
            var settings = new CgroupSettings(DeviceRules.For(spec.Privileged, devices)) { Resources = spec.Resources };
            cgroup.ApplyLimits(settings);
            new StatsSources(record.Name, cgroup.ByController, spec.Socket).Write(runDir.Path);
            // The layer's image is made where the default TOP would be, so it weighs on the same disk.
            if (spec.Resources.StorageSize is { } size) layer = WritableLayer.Create(record.Lib, size, Path.Combine(runDir.Path, "layer"));
            // A terminal is the command's stdio; without one a detached container writes into pipes to its log, from
            // here on, so that the launch's warnings land there too.
            using var streams = mode.Detached && !spec.Tty ? DetachedStreams.Open(spec.Interactive) : null;
            var plan = ContainerPlanner.Build(target, top, layer, runDir.Path, network.Prepare(), network.FromSwitch, security, devices, cgroup, network.Grant?.Dns);
            File.Delete(record.ExitFile);
            File.Delete(record.OomFile);
            if (!mode.Detached && !mode.SayTop && !spec.Interactive && !spec.Tty) StandardStreams.CloseInput();
            return RunContainer(plan, target, mode, network, runDir.Path, signals, streams, CleanUpSteps, () => cgroup.ApplyDevices(settings));
        }
        catch (Exception e) when (e is not CommandFailedException)
        {
            var steps = CleanUpSteps();
            layer?.Dispose();
            cgroup?.Dispose();
            network?.Dispose();
            steps.Run();
            throw;
        }
    }

    /// <summary>
    /// The container's clean-up, in order: the port, TOP/work, the cgroup, with --rm the container itself, and last
    /// the run directory, whose going says the container has stopped.
    /// </summary>
    private static ExitSteps CleanUp(ContainerRecord record, LaunchMode mode, NetworkAttachment? network, RunDirectory? runDir, TopDirectory? top, ContainerCgroup? cgroup)
    {
        var steps = new ExitSteps();
        if (mode.SayTop && top is not null && !record.Spec.AutoRemove) steps.Say($"fs modifications saved to {top.Path}");
        network?.AddExitSteps(steps);
        top?.AddExitSteps(steps);
        cgroup?.AddExitSteps(steps, record.OomFile);
        if (record.Spec.AutoRemove)
        {
            if (ContainerImage.Load(record.Lib) is { } image) steps.Unlink(ImageLaunch.UseFile(image, record));
            steps.Remove(record.Lib);
            steps.Unlink(record.Dirs.NameLink(record.Name));
        }
        runDir?.AddExitSteps(steps);
        return steps;
    }

    private static List<DeviceNodes.Node> DeviceList(ContainerSpec spec)
    {
        var devices = new List<DeviceNodes.Node>(DeviceNodes.Standard);
        foreach (var device in spec.Devices) devices.Add(DeviceNodes.Parse(device));
        return devices;
    }

    private static int RunContainer(ContainerPlan plan, LaunchTarget target, LaunchMode mode, NetworkAttachment network, string runDir, SignalForwarding signals,
        DetachedStreams? streams, Func<ExitSteps> cleanUp, Action applyDevices)
    {
        var record = target.Record;
        using var process = ContainerProcess.Start(plan, target.Command, target.Environment);
        if (process.IdmapUnsupported is { } why) Posix.WriteError(UserNamespacePlan.NoIdmapMessage(why));
        signals.Attach(process);
        SafeFd? console = null;
        try
        {
            // Sent in the plan's order: the terminal (opened with /dev), then the control socket.
            if (target.Spec.Tty) console = process.ReceiveFd();
            if (target.Spec.CtrlSocketPath is not null)
            {
                using var listener = process.ReceiveFd();
                network.AddCtrlSock(listener);
            }
            // The device rules go in while the child builds its root, so that the device program's verification
            // overlaps that work; they hold before the command runs, which the child execs only after the go.
            applyDevices();
            network.Plug(process.Pid);
            if (network.Grant is { } grant)
            {
                record.SaveNetwork(grant);
                // A user's container learns its nameserver only now, from the namespace it handed the switch.
                if (!network.FromSwitch && grant.Dns is { } dns) ResolvConf.Update(runDir, dns);
            }
            process.Go();
            process.WaitForExec();
        }
        catch (ContainerStartException e)
        {
            console?.Dispose();
            var code = process.WaitForExit();
            if (!e.IsExec) throw new LaunchException(e.Message);
            // The command is missing or not executable: it ended as a shell's would (127, 126).
            AtomicFile.Write(record.ExitFile, code + "\n");
            cleanUp().Run();
            network.Dispose();
            throw new CommandFailedException($"{e.Message}", code);
        }
        catch
        {
            console?.Dispose();
            // A child that failed in its plan makes the network step fail too: report the child's cause.
            var cause = process.Abort();
            process.Signal(Signal.Kill);
            process.WaitForExit();
            if (cause is not null) throw new LaunchException(cause.Message);
            throw;
        }

        record.SavePids(ProcessIdentity.Of(process.Pid) ?? new(process.Pid, 0), ProcessIdentity.Of(Environment.ProcessId)!.Value);
        record.Started = DateTime.UtcNow;
        record.SaveInfo();
        var steps = cleanUp();
        SmallFile.Write(record.CleanUpFile, string.Join('\0', steps.Saved()));
        streams?.Detach();
        var monitor = new MonitorOptions
        {
            StatusFile = target.Spec.AutoRemove ? null : record.ExitFile,
            Log = streams is not null ? (record.LogFile, MaxLogBytes, streams.Stdout, streams.Stderr)
                : mode.Detached && console is not null ? (record.LogFile, MaxLogBytes, console, null) : null,
            Pty = !mode.Detached && console is not null ? (console, target.Spec.Interactive) : null,
            Keep = streams?.Input is { } input ? [input] : [],
            Then = target.Spec.Restart == RestartPolicy.No ? null : [Environment.ProcessPath!, Cli.Verbs.RestartVerb, record.Id],
        };
        // From here on the launcher only waits: containet-wait does that in its place, without the runtime.
        var failed = process.HandOff(steps, monitor);
        if (!mode.Detached) Posix.WriteError($"containode: cannot hand the wait over ({failed.Message}); waiting here");
        var status = process.WaitForExit();
        if (monitor.StatusFile is not null) AtomicFile.Write(monitor.StatusFile, status + "\n");
        steps.Run(status);
        network.Dispose();
        return status;
    }
}

/// <summary>The container's command could not be executed: the message, and the status a shell would give (126, 127).</summary>
public sealed class CommandFailedException(string message, int status) : Exception(message)
{
    public int Status => status;
}
