using System.Buffers.Binary;
using System.Text;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// What the clone step does between clone and exec, in order: a list of operations the C shim executes
/// without deciding anything. Each operation keeps a description, so a failure reads
/// "mount overlay on /run/x: EINVAL" rather than an index.
/// </summary>
public sealed class ContainerPlan
{
    private readonly MemoryStream ops = new();
    private readonly List<string> descriptions = [];

    public Namespaces Namespaces { get; init; }
    public bool Init { get; init; }
    public IReadOnlyList<string> Descriptions => descriptions;

    public ContainerPlan Mount(string source, string target, string fsType, MountFlags flags, string data = "", bool optional = false)
    {
        Begin(Shim.OpMount, optional, $"mount {(fsType.Length > 0 ? fsType : source)} on {target}");
        String(source); String(target); String(fsType); U64((ulong)flags); String(data);
        return this;
    }

    public ContainerPlan MakeDirectory(string path, uint mode = 0x1ed /* 0755 */, bool optional = false)
    {
        Begin(Shim.OpMkdir, optional, "mkdir " + path);
        String(path); U64(mode);
        return this;
    }

    public ContainerPlan CharDevice(string path, uint mode, uint major, uint minor)
    {
        Begin(Shim.OpMknod, false, "mknod " + path);
        String(path); U64(Libc.S_IFCHR | mode); U64(major); U64(minor);
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

    public ContainerPlan WriteFile(string path, string content, bool optional = false)
    {
        Begin(Shim.OpWrite, optional, "write " + path);
        String(path); String(content);
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
    /// Joins a network namespace the parent made beforehand (instead of cloning a new one), so the parent can
    /// plug in the network while the child is still being cloned. The fd must stay open until the child started.
    /// </summary>
    public ContainerPlan JoinNetwork(SafeFd namespaceFd)
    {
        Begin(Shim.OpSetns, false, "setns network namespace");
        U64((ulong)namespaceFd.Number); U64(Libc.CLONE_NEWNET);
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

    private void Begin(byte op, bool optional, string description)
    {
        ops.WriteByte(op);
        ops.WriteByte(optional ? (byte)1 : (byte)0);
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
