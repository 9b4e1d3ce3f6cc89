using System.Diagnostics;
using System.Globalization;

namespace Containet.Native;

/// <summary>
/// The uid and gid maps of a container's user namespace, written by the parent while the child waits. Root writes
/// them itself; another user may map only its own ids (and must deny setgroups first), and needs the setuid
/// helpers newuidmap and newgidmap for the ranges /etc/subuid and /etc/subgid grant it.
/// </summary>
public sealed class IdMapping
{
    public IReadOnlyList<IdRange> Uids { get; }
    public IReadOnlyList<IdRange> Gids { get; }

    public IdMapping(IReadOnlyList<IdRange> uids, IReadOnlyList<IdRange> gids)
    {
        if (uids.Count == 0 || gids.Count == 0) throw new ArgumentException("a user namespace needs at least one uid and one gid mapped");
        Uids = uids;
        Gids = gids;
    }

    /// <summary>The host uid and gid of the container's root, or null when root is not mapped.</summary>
    public (uint Uid, uint Gid)? HostRoot =>
        Uids.Select(r => r.ToHost(0)).FirstOrDefault(u => u is not null) is { } uid
        && Gids.Select(r => r.ToHost(0)).FirstOrDefault(g => g is not null) is { } gid ? (uid, gid) : null;

    /// <summary>Whether only the caller's own ids are mapped: the one mapping a user may write without helpers.</summary>
    private bool OwnIdsOnly =>
        Uids is [{ Count: 1 } u] && u.Outside == Posix.EffectiveUid && Gids is [{ Count: 1 } g] && g.Outside == Posix.EffectiveGid;

    /// <summary>Whether the child may still call setgroups: not when the maps were written without privilege.</summary>
    public bool SetgroupsAllowed => Posix.IsRoot || !OwnIdsOnly;

    /// <summary>Writes the maps of the user namespace <paramref name="pid"/> is in.</summary>
    public void Apply(int pid)
    {
        var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        if (Posix.IsRoot || OwnIdsOnly)
        {
            if (!SetgroupsAllowed) WriteProcFile(proc + "/setgroups", "deny");
            WriteProcFile(proc + "/uid_map", Text(Uids));
            WriteProcFile(proc + "/gid_map", Text(Gids));
            return;
        }
        // Side by side: each is a process start, most of what a rootless launch costs beyond root's.
        using var uids = StartHelper("newuidmap", pid, Uids);
        using var gids = StartHelper("newgidmap", pid, Gids);
        Finish("newuidmap", uids);
        Finish("newgidmap", gids);
    }

    private static string Text(IReadOnlyList<IdRange> ranges) => string.Concat(ranges.Select(r => r + "\n"));

    // A map must arrive in one write(2), which File.WriteAllText does not promise.
    private static void WriteProcFile(string path, string text)
    {
        using var fd = SafeFd.Check(Interop.Libc.open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CLOEXEC, 0), "open", path);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        var n = FdIo.Write(fd, bytes);
        if (n != bytes.Length) throw new NativeException(n < 0 ? -n : Errno.EIO, "write", path);
    }

    private static Process StartHelper(string helper, int pid, IReadOnlyList<IdRange> ranges)
    {
        var psi = new ProcessStartInfo(helper) { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        foreach (var r in ranges)
            foreach (var n in (uint[])[r.Inside, r.Outside, r.Count])
                psi.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
        try { return Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IdMappingException($"{helper} is needed to map id ranges ({e.Message}): install Debian's uidmap package");
        }
    }

    private static void Finish(string helper, Process p)
    {
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new IdMappingException($"{helper} failed: {error.Trim()}");
    }
}

/// <summary>The maps could not be written: the message says why and what to do.</summary>
public sealed class IdMappingException(string message) : Exception(message);
