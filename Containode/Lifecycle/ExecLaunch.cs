using Containet.Native;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// A second process in a running container (exec): it starts in the container's cgroup and pid namespace, joins
/// its mount, uts, ipc, network and cgroup namespaces (the mount namespace puts it in the container's root), and
/// gets the container's environment, capabilities, no_new_privs and seccomp filter, as runc exec does.
/// </summary>
public static class ExecLaunch
{
    public sealed record Request(IReadOnlyList<string> Command, IReadOnlyList<string> Environment, string? WorkingDirectory, string? User,
        bool Tty = false, bool Interactive = false);

    public static int Run(ContainerRecord record, ProcessIdentity first, Request request)
    {
        Privileges.RequireRoot();
        var target = LaunchTarget.Of(record);
        var security = SecurityPolicy.From(record.Spec);
        var pid = first.Pid;
        var host = CgroupHost.Detect(ownCgroupsFile: $"/proc/{pid}/cgroup");
        using var cgroup = host.Unified is { } unified ? FileNodes.OpenDirectory(unified.OwnDirectory) : null;
        Namespaces[] joined = [Namespaces.Ipc, Namespaces.Uts, Namespaces.Network, Namespaces.Cgroup, Namespaces.Mount];
        var fds = joined.Select(type => ProcessNamespaces.Open(pid, NamespaceNames.Of(type))).ToList();
        using var pidNamespace = ProcessNamespaces.Open(pid, NamespaceNames.Of(Namespaces.Pid));
        try
        {
            // Opened, and only now checked: these fds are the container's, not a later process's with its PID.
            if (!first.IsAlive) throw new LaunchException($"container {record.Name} is not running");
            var plan = new ContainerPlan { Cgroup = cgroup };
            if (host.Unified is null)
                foreach (var controller in ContainerCgroup.V1Controllers)
                    if (host.V1.TryGetValue(controller, out var h)) plan.WriteHostFile(Path.Combine(h.OwnDirectory, "cgroup.procs"), "0");
            for (var i = 0; i < fds.Count; i++) plan.Join(fds[i], joined[i]);
            plan.ChangeDirectory(request.WorkingDirectory ?? target.WorkingDirectory);
            if (request.Tty) plan.Console(null);
            var user = request.User ?? target.User;
            security.AddTo(plan, user is null ? null : UserSpec.Parse(user));
            ProcessNamespaces.ChildrenInto(pidNamespace);

            var env = ContainerEnvironment.Build(record.Name, target.Environment, request.Environment);
            using var signals = new SignalForwarding();
            using var process = ContainerProcess.Start(plan, request.Command, env);
            signals.Attach(process);
            SafeFd? console = null;
            try
            {
                if (request.Tty) console = process.ReceiveFd();
                process.WaitForExec();
            }
            catch (ContainerStartException e)
            {
                console?.Dispose();
                var code = process.WaitForExit();
                if (!e.IsExec) throw new LaunchException(e.Message);
                throw new CommandFailedException(e.Message, code);
            }
            if (console is null) return process.WaitForExit();
            // The terminal is relayed by containet-wait, in this process's place, as a foreground run's is.
            var failed = process.HandOff(new ExitSteps(), new MonitorOptions { Pty = (console, request.Interactive) });
            Posix.WriteError($"containode: cannot hand the wait over ({failed.Message}); waiting without the terminal");
            return process.WaitForExit();
        }
        finally
        {
            foreach (var fd in fds) fd.Dispose();
        }
    }
}
