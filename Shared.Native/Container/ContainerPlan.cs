using System.Buffers.Binary;
using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// What the clone step does between clone and exec, in order: a list of operations the C shim executes
/// without deciding anything. Each operation keeps a description, so a failure reads
/// "mount overlay on /run/x: EINVAL" rather than an index. After <see cref="EnterRoot"/>, every path an
/// operation creates or mounts on is resolved inside that root by the kernel, until <see cref="PivotRoot"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "its only disposable field is a MemoryStream, which holds nothing to release")]
public sealed class ContainerPlan
{
    private readonly MemoryStream ops = new();
    private readonly List<string> descriptions = [];
    private readonly List<(string, HandOver, SafeFd?)> handedOver = [];

    public Namespaces Namespaces { get; init; }
    public bool Init { get; init; }

    /// <summary>A cgroup2 directory the child is cloned into (CLONE_INTO_CGROUP); it must stay open until the child started.</summary>
    public SafeFd? Cgroup { get; init; }

    public IReadOnlyList<string> Descriptions => descriptions;

    /// <summary>The maps of the child's user namespace (<see cref="EnterUserNamespace"/>), or null for none.</summary>
    public IdMapping? UserMapping { get; private set; }

    /// <summary>
    /// The host directory the child works in while it builds the container (<see cref="EnterUserNamespace"/>), or null:
    /// paths below it are given relative to it (<see cref="PathBelow"/>).
    /// </summary>
    public string? WorkingIn { get; private set; }

    /// <summary>A network namespace the child starts in (<see cref="JoinNetwork"/>), or null.</summary>
    public SafeFd? Network { get; private set; }

    /// <summary>What the parent hands over, in order, for the plan's <see cref="AttachMount"/> steps.</summary>
    internal IReadOnlyList<(string Source, HandOver Kind, SafeFd? Made)> HandedOver => handedOver;

    public ContainerPlan Mount(string source, string target, string fsType, MountFlags flags, string data = "", bool optional = false, bool ifExists = false)
    {
        Begin(Shim.OpMount, optional, $"mount {(fsType.Length > 0 ? fsType : source)} on {target}", ifExists);
        String(source); String(target); String(fsType); U64((ulong)flags); String(data);
        return this;
    }

    public ContainerPlan MakeDirectory(string path, uint mode = Mode.O755, bool optional = false)
    {
        Begin(Shim.OpMkdir, optional, "mkdir " + path);
        String(path); U64(mode);
        return this;
    }

    public ContainerPlan Device(string path, FileNodes.Kind kind, uint mode, uint major, uint minor)
    {
        Begin(Shim.OpMknod, false, "mknod " + path);
        String(path); U64(FileNodes.TypeBits(kind) | mode); U64(major); U64(minor);
        return this;
    }

    public ContainerPlan Touch(string path, bool optional = false)
    {
        Begin(Shim.OpTouch, optional, "create " + path);
        String(path);
        return this;
    }

    public ContainerPlan Symlink(string target, string linkPath, bool optional = false)
    {
        Begin(Shim.OpSymlink, optional, $"symlink {linkPath} -> {target}");
        String(target); String(linkPath);
        return this;
    }

    /// <summary>NAME below the host directory <paramref name="dir"/>, as the child reaches it: relative when it works there (<see cref="WorkingIn"/>).</summary>
    public string PathBelow(string dir, string name) => dir == WorkingIn ? "./" + name : Path.Combine(dir, name);

    /// <summary>Names the container's root: from here until <see cref="PivotRoot"/>, paths resolve inside it.</summary>
    public ContainerPlan EnterRoot(string root)
    {
        Begin(Shim.OpRoot, false, "open root " + root);
        String(root);
        return this;
    }

    /// <summary>Makes the mount at <paramref name="path"/> read-only, and with <paramref name="recursive"/> every mount below it.</summary>
    public ContainerPlan ReadOnly(string path, bool recursive, bool ifExists = false)
    {
        Begin(Shim.OpReadOnly, false, "make " + path + " read-only", ifExists);
        String(path); U64(recursive ? 1UL : 0);
        return this;
    }

    /// <summary>Writes a host file that already exists (a cgroup's cgroup.procs); refused inside a root.</summary>
    public ContainerPlan WriteHostFile(string path, string content)
    {
        Begin(Shim.OpWrite, false, "write " + path);
        String(path); String(content);
        return this;
    }

    public ContainerPlan Unshare(Namespaces namespaces)
    {
        Begin(Shim.OpUnshare, false, "unshare " + NamespaceNames.Of(namespaces));
        U64((ulong)namespaces);
        return this;
    }

    /// <summary>The capability sets the command starts with (ambient empty); each a bit mask by capability number.</summary>
    public ContainerPlan Capabilities(ulong bounding, ulong effective, ulong permitted, ulong inheritable)
    {
        Begin(Shim.OpCaps, false, "set capabilities");
        U64(bounding); U64(effective); U64(permitted); U64(inheritable);
        return this;
    }

    /// <summary>
    /// Gives the command a terminal of the container's own: a pty from its /dev/pts (mounted before), whose master
    /// the parent receives (<see cref="ContainerProcess.ReceiveFd"/>) and whose slave is bound on
    /// <paramref name="console"/> (null: not bound) and becomes the command's stdio and controlling terminal.
    /// </summary>
    public ContainerPlan Console(string? console)
    {
        Begin(Shim.OpConsole, false, "open a terminal" + (console is null ? "" : " for " + console));
        String(console ?? "");
        return this;
    }

    /// <summary>Runs the command as this user and group, with no supplementary groups.</summary>
    public ContainerPlan User(uint uid, uint gid)
    {
        Begin(Shim.OpSetId, false, $"set user {uid}:{gid}");
        U64(uid); U64(gid); U64(1);
        return this;
    }

    public ContainerPlan NoNewPrivileges()
    {
        Begin(Shim.OpNoNewPrivs, false, "set no_new_privs");
        return this;
    }

    /// <summary>Loads a seccomp filter (struct sock_filter[]) at this point of the plan.</summary>
    public ContainerPlan Seccomp(ReadOnlySpan<byte> program)
    {
        Begin(Shim.OpSeccomp, false, "load the seccomp filter");
        U64((ulong)program.Length);
        ops.Write(program);
        return this;
    }

    public ContainerPlan PivotRoot(string newRoot)
    {
        Begin(Shim.OpPivot, false, "pivot_root to " + newRoot);
        String(newRoot);
        return this;
    }

    public ContainerPlan Hostname(string name)
    {
        Begin(Shim.OpHostname, false, "sethostname " + name);
        String(name);
        return this;
    }

    public ContainerPlan ChangeDirectory(string dir)
    {
        Begin(Shim.OpChdir, false, "chdir " + dir);
        String(dir);
        return this;
    }

    /// <summary>Creates a listening unix socket at a path inside the container and hands it to the parent.</summary>
    public ContainerPlan Listen(string path)
    {
        Begin(Shim.OpListen, false, "listen on " + path);
        String(path);
        return this;
    }

    /// <summary>
    /// Starts the child in a network namespace the parent made beforehand (instead of cloning a new one), so the
    /// parent can plug in the network while the child is still being cloned. The clone is made from inside it, so
    /// this works in a user namespace too. The fd must stay open until the child started.
    /// </summary>
    public ContainerPlan JoinNetwork(SafeFd namespaceFd)
    {
        Network = namespaceFd;
        return this;
    }

    /// <summary>Joins a namespace of another process (exec): the fd must stay open until the child started.</summary>
    public ContainerPlan Join(SafeFd namespaceFd, Namespaces type)
    {
        Begin(Shim.OpSetns, false, $"setns {NamespaceNames.Of(type)} namespace");
        U64((ulong)namespaceFd.Number); U64((ulong)(uint)type);
        return this;
    }

    /// <summary>
    /// Puts the child in a new user namespace with these maps, as its first step: it waits until the parent has
    /// written them, then becomes the namespace's root. Call it before anything else.
    /// </summary>
    /// <param name="workIn">
    /// A host directory the child changes into while it is still the host's root to the filesystem: once it is the
    /// namespace's root, an ancestor closed to that uid (a 0700 <c>mktemp -d</c> folder) would stop any absolute path
    /// below it, and a path relative to the working directory walks only what lies below (<see cref="PathBelow"/>).
    /// </param>
    public ContainerPlan EnterUserNamespace(IdMapping mapping, string? workIn = null)
    {
        if (descriptions.Count > 0) throw new InvalidOperationException("the user namespace must be the plan's first step");
        UserMapping = mapping;
        Begin(Shim.OpWait, false, "wait for the id maps");
        if (workIn is not null)
        {
            WorkingIn = workIn;
            Begin(Shim.OpChdir, false, "chdir " + workIn);
            String(workIn);
        }
        Begin(Shim.OpSetId, false, "become root in the user namespace");
        U64(0); U64(0); U64(mapping.SetgroupsAllowed ? 1UL : 0);
        return this;
    }

    /// <summary>
    /// Mounts <paramref name="source"/> (a host path) at <paramref name="target"/> from a copy of its mount the
    /// parent makes and hands over: the child, root only in its user namespace, could not reach every path the
    /// parent can. With <paramref name="idmapped"/> the copy shows the host's owners through the container's maps
    /// where the kernel and the filesystem allow it, and is a plain copy otherwise.
    /// </summary>
    public ContainerPlan AttachMount(string source, string target, bool idmapped)
    {
        if (UserMapping is null) throw new InvalidOperationException("a handed-over mount is for a user namespace");
        Begin(Shim.OpMountFd, false, $"attach {source} on {target}");
        String(target);
        handedOver.Add((source, idmapped ? HandOver.Idmapped : HandOver.Copy, null));
        return this;
    }

    /// <summary>
    /// Mounts a read-only sysfs of the network namespace the child joined (<see cref="JoinNetwork"/>) at
    /// <paramref name="target"/>: a user namespace cannot mount one of a network namespace it does not own, so the
    /// parent makes it inside that namespace and hands it over.
    /// </summary>
    public ContainerPlan AttachNetworkSysfs(string target)
    {
        if (UserMapping is null || Network is null) throw new InvalidOperationException("a handed-over sysfs is for a user namespace that joins a network namespace");
        Begin(Shim.OpMountFd, false, $"attach the network namespace's sysfs on {target}");
        String(target);
        handedOver.Add(("sysfs", HandOver.NetworkSysfs, null));
        return this;
    }

    /// <summary>
    /// Attaches at <paramref name="target"/> (a host path) a filesystem the caller made detached
    /// (<see cref="DetachedMount.Create"/>), in the child's own mount namespace, where it lives and dies with the
    /// container. The fd is handed over as the child starts; it must stay open until then.
    /// </summary>
    public ContainerPlan AttachMount(SafeFd mount, string target)
    {
        Begin(Shim.OpMountFd, false, $"attach a mount on {target}");
        String(target);
        handedOver.Add((target, HandOver.Made, mount));
        return this;
    }

    /// <summary>What the parent hands over for an <see cref="Shim.OpMountFd"/> step: made now, or made by the caller beforehand.</summary>
    internal enum HandOver { Copy, Idmapped, NetworkSysfs, Made }

    /// <summary>
    /// A new time namespace for the command, its CLOCK_MONOTONIC and CLOCK_BOOTTIME (and so /proc/uptime) starting
    /// near zero. It takes effect at exec; the offsets are written before then, while nothing is inside yet.
    /// </summary>
    public ContainerPlan NewTimeNamespace()
    {
        Begin(Shim.OpTimens, false, "set up the time namespace");
        return this;
    }

    /// <summary>Sets an interface of the child's network namespace up (its loopback).</summary>
    public ContainerPlan LinkUp(string ifname)
    {
        Begin(Shim.OpLinkUp, false, "set " + ifname + " up");
        String(ifname);
        return this;
    }

    /// <summary>Waits for the parent's go (after it has plugged in the network).</summary>
    public ContainerPlan WaitForParent()
    {
        Begin(Shim.OpWait, false, "wait for the launcher");
        return this;
    }

    internal byte[] Bytes => ops.ToArray();

    private void Begin(byte op, bool optional, string description, bool ifExists = false)
    {
        ops.WriteByte(op);
        ops.WriteByte((byte)((optional ? Shim.Optional : 0) | (ifExists ? Shim.IfExists : 0)));
        descriptions.Add(description);
    }

    private void String(string s)
    {
        if (s.Contains('\0')) throw new ArgumentException("NUL in a plan argument: " + s);
        var bytes = Encoding.UTF8.GetBytes(s);
        ops.Write(bytes);
        ops.WriteByte(0);
    }

    private void U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        ops.Write(b);
    }
}
