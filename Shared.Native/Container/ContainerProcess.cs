using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A container's first process, started by the C clone step from a <see cref="ContainerPlan"/>. The parent
/// and the child talk over a socketpair (fds from the child, the parent's go) and an O_CLOEXEC pipe that
/// carries the first failure or closes silently when exec succeeded: no sleeps anywhere.
/// </summary>
public sealed unsafe class ContainerProcess : IDisposable
{
    private readonly SafeFd channel;
    private readonly SafeFd errors;
    private readonly ContainerPlan plan;
    private readonly string command;
    private int exitStatus = -1;

    public int Pid { get; }

    private ContainerProcess(int pid, SafeFd channel, SafeFd errors, ContainerPlan plan, string command)
    {
        Pid = pid;
        this.channel = channel;
        this.errors = errors;
        this.plan = plan;
        this.command = command;
    }

    /// <summary>
    /// Clones the container's first process. Call it from a thread that lives as long as the container: the
    /// child gets SIGKILL when that thread ends (PR_SET_PDEATHSIG), so the container dies with its launcher.
    /// </summary>
    public static ContainerProcess Start(ContainerPlan plan, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        if (argv.Count == 0) throw new ArgumentException("no command", nameof(argv));
        var (parentEnd, childEnd) = UnixSocket.Pair();
        int* pipe = stackalloc int[2];
        NativeException.Check(Libc.pipe2(pipe, Libc.O_CLOEXEC), "pipe2");
        using var errorWrite = new SafeFd(pipe[1]);
        var errorRead = new SafeFd(pipe[0]);
        var ops = plan.Bytes;
        var nativeArgv = NativeStrings.Array(argv);
        var nativeEnv = NativeStrings.Array(environment);
        try
        {
            fixed (byte* o = ops)
            {
                var p = new Shim.Plan
                {
                    CloneFlags = (ulong)(uint)(plan.Namespaces | (plan.UserMapping is null ? 0 : Namespaces.User)),
                    CgroupFd = plan.Cgroup?.Number ?? -1,
                    SyncFd = childEnd.Number,
                    ParentEnd = parentEnd.Number,
                    ErrorFd = errorWrite.Number,
                    Init = plan.Init ? 1 : 0,
                    NetFd = plan.Network?.Number ?? -1,
                    Ops = o,
                    OpsLength = ops.Length,
                    Argv = nativeArgv,
                    Envp = nativeEnv,
                };
                var pid = Shim.Spawn(&p);
                if (pid < 0)
                {
                    parentEnd.Dispose();
                    errorRead.Dispose();
                    throw new NativeException(-pid, "clone", argv[0]);
                }
                var process = new ContainerProcess(pid, parentEnd, errorRead, plan, argv[0]);
                process.Prepare();
                return process;
            }
        }
        finally
        {
            childEnd.Dispose();
            NativeStrings.Free(nativeArgv);
            NativeStrings.Free(nativeEnv);
        }
    }

    /// <summary>
    /// Why the plan's idmapped mounts are plain copies (the kernel or the filesystem does not support idmapping),
    /// or null when they are idmapped or there are none.
    /// </summary>
    public NativeException? IdmapUnsupported { get; private set; }

    /// <summary>
    /// Writes the maps the child waits for (with a user namespace), lets it go on to become root, and hands over
    /// its mounts in the order its steps attach them. A failure kills the child: it must never run with maps half
    /// written, nor wait for a mount that never comes.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "each tree is disposed by its using declaration, which the analyzer does not follow through the switch expression")]
    private void Prepare()
    {
        if (plan.UserMapping is null && plan.HandedOver.Count == 0) return;
        try
        {
            if (plan.UserMapping is { } mapping)
            {
                mapping.Apply(Pid);
                Go();
            }
            if (plan.HandedOver.Count == 0) return;
            using var userNamespace = plan.UserMapping is null ? null
                : SafeFd.Check(Libc.open($"/proc/{Pid}/ns/user", Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open", $"/proc/{Pid}/ns/user");
            foreach (var (source, kind, made) in plan.HandedOver)
            {
                if (made is not null)
                {
                    FdPassing.Send(channel, "m"u8, made);
                    continue;
                }
                using var tree = kind switch
                {
                    ContainerPlan.HandOver.Idmapped => IdmappedOrPlain(source, userNamespace!),
                    ContainerPlan.HandOver.NetworkSysfs => NetNamespace.Run(plan.Network!, DetachedMount.Sysfs),
                    _ => DetachedMount.Clone(source),
                };
                FdPassing.Send(channel, "m"u8, tree);
            }
        }
        catch
        {
            Libc.kill(Pid, (int)Native.Signal.Kill);
            WaitForExit();
            Dispose();
            throw;
        }
    }

    private SafeFd IdmappedOrPlain(string source, SafeFd userNamespace)
    {
        if (IdmapUnsupported is null)
        {
            try { return DetachedMount.Idmapped(source, userNamespace); }
            catch (NativeException e) when (e.Errno is Errno.EINVAL or Errno.ENOSYS or Errno.EPERM or Errno.EOPNOTSUPP) { IdmapUnsupported = e; }
        }
        return DetachedMount.Clone(source);
    }

    /// <summary>Receives the fd a Listen operation created inside the container.</summary>
    public SafeFd ReceiveFd()
    {
        Span<byte> one = stackalloc byte[1];
        var n = FdPassing.Receive(channel, one, out var fd);
        if (n == 0 || fd is null)
        {
            ThrowIfFailed();
            throw new NativeException(Errno.ECONNRESET, "receive fd from the container");
        }
        return fd;
    }

    /// <summary>Lets the child go on past its WaitForParent operation.</summary>
    public void Go() => FdPassing.Send(channel, "g"u8);

    /// <summary>Blocks until the command was exec'd; throws what failed in the clone step otherwise.</summary>
    public void WaitForExec() => ThrowIfFailed();

    /// <summary>
    /// Gives up on a child still in its plan: closing the channel fails its wait for the go. Returns what the
    /// child reported, which names the real cause when the child had failed first; null if it was only waiting.
    /// </summary>
    public ContainerStartException? Abort()
    {
        channel.Dispose();
        try
        {
            ThrowIfFailed();
            return null;
        }
        catch (ContainerStartException e)
        {
            return plan.Descriptions.Count > 0 && e.Step == plan.Descriptions[^1] ? null : e;
        }
    }

    private void ThrowIfFailed()
    {
        Span<byte> report = stackalloc byte[8];
        if (FdIo.ReadFull(errors, report) < report.Length) return;
        var index = (int)BinaryPrimitives.ReadUInt32LittleEndian(report);
        var errno = (int)BinaryPrimitives.ReadUInt32LittleEndian(report[4..]);
        var isExec = index >= plan.Descriptions.Count;
        throw new ContainerStartException(isExec ? "exec " + command : plan.Descriptions[index], errno) { IsExec = isExec };
    }

    /// <summary>Waits for the first process to end; returns its status as a shell reports it (128+N for signal N).</summary>
    public int WaitForExit()
    {
        if (exitStatus >= 0) return exitStatus;
        var r = Shim.Wait(Pid);
        if (r < 0) throw new NativeException(-r, "waitpid", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return exitStatus = r;
    }

    /// <summary>
    /// Replaces this process with containet-wait, which waits for the first process, forwards signals to it
    /// (<see cref="SignalForwarding"/>'s), does what <paramref name="monitor"/> says, runs <paramref name="steps"/>
    /// and exits with its status: the launcher's runtime is not kept in memory while the container runs. Call it
    /// from the thread that started the container (its death signal follows that thread). Returns only if the
    /// exec failed, with everything as it was.
    /// </summary>
    public NativeException HandOff(ExitSteps steps, MonitorOptions? monitor = null)
    {
        var waiter = Path.Combine(AppContext.BaseDirectory, "containet-wait");
        var argv = NativeStrings.Array([waiter, .. monitor?.Arguments() ?? [], Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), .. steps.Arguments]);
        int[] keep = [.. steps.Kept.Concat(monitor?.Fds() ?? []).Select(fd => fd.Number)];
        try
        {
            fixed (int* k = keep)
                return new NativeException(-Shim.HandOff(waiter, argv, k, keep.Length), "execve", waiter);
        }
        finally
        {
            NativeStrings.Free(argv);
        }
    }

    public void Signal(Signal signal)
    {
        if (exitStatus < 0) Libc.kill(Pid, (int)signal);
    }

    public void Dispose()
    {
        channel.Dispose();
        errors.Dispose();
    }
}
