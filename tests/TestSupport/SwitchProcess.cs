using System.Text.Json;
using Containet.Native;
using Containet.Protocol;

namespace Containet.TestSupport;

/// <summary>A real containet process on a temp socket, stopped with SIGTERM (by PID) on Dispose.</summary>
public sealed class SwitchProcess : IDisposable
{
    private readonly string[] command;
    private ChildProcess process;
    private string earlierLog = "";
    public TempDir Dir { get; } = new("containet-sw");
    public string Socket { get; }

    /// <summary>Where the switch keeps its state and pins by default: beside its socket.</summary>
    public string StateDir => Path.ChangeExtension(Socket, ".d");

    public SwitchProcess(params string[] extraArgs) : this(null, null, null, extraArgs) { }

    /// <summary>A switch on a socket path of the test's choosing.</summary>
    public static SwitchProcess At(string socket) => new(socket, null, null, []);

    /// <summary>A switch that runs in a cgroup (its directory in a cgroupfs) from its first instruction.</summary>
    public static SwitchProcess InCgroup(string cgroup, params string[] extraArgs) => new(null, cgroup, null, extraArgs);

    /// <summary>A switch started with `ip netns exec NETNS`, so that namespace is its host.</summary>
    public static SwitchProcess InNetns(string netns, params string[] extraArgs) => new(null, null, netns, extraArgs);

    private SwitchProcess(string? socket, string? cgroup, string? netns, string[] extraArgs)
    {
        Socket = socket ?? Dir.Combine("switch.sock");
        command = [Repo.Program("containet"), "-s", Socket, "--log-level", "Debug", .. extraArgs];
        // The shell joins the cgroup and then becomes the switch, so the PID the test holds is the switch's.
        if (cgroup is not null) command = ["/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cgroup, .. command];
        // ip netns exec enters the namespace and execs the switch: the PID is the switch's here too.
        if (netns is not null) command = ["ip", "netns", "exec", netns, .. command];
        try
        {
            process = Start();
        }
        catch
        {
            Dir.Dispose();
            throw;
        }
    }

    private ChildProcess Start()
    {
        var started = ChildProcess.Start(command[0], command[1..], collect: true);
        try
        {
            // A .NET process starting beside a full test run on 2 cores took over 10 s now and then.
            Eventually.True(() => started.HasExited || CanConnect(), "the switch to listen on " + Socket, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The test never gets this switch to dispose: it must not outlive the failure.
            started.Kill();
            started.Dispose();
            throw;
        }
        if (!started.HasExited) return started;
        started.Dispose();
        throw new InvalidOperationException("containet exited at start:\n" + started.Stdout + started.Stderr);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would end it: nothing of the switch's own clean-up runs.</summary>
    public void Kill() => process.Kill();

    /// <summary>Starts the switch again, with the same arguments, after <see cref="Kill"/> or <see cref="Stop"/>.</summary>
    public void Restart()
    {
        earlierLog = Log;
        process.Dispose();
        process = Start();
    }

    /// <summary>What the switch wrote, on stdout and stderr, since the first start.</summary>
    public string Log => earlierLog + process.Stdout + process.Stderr;

    /// <summary>Waits for a line with <paramref name="text"/> in the log, which arrives asynchronously.</summary>
    public void WaitForLog(string text) => Eventually.True(() => Log.Contains(text), $"'{text}' in the switch's log");
    public bool HasExited => process.HasExited;
    public int Pid => process.Id;

    /// <summary>How many fds the switch holds open.</summary>
    public int OpenFds => Directory.GetFileSystemEntries($"/proc/{process.Id}/fd").Length;

    /// <summary>How many threads the switch runs.</summary>
    public int Threads => Directory.GetFileSystemEntries($"/proc/{process.Id}/task").Length;
    public int ExitCode => process.ExitCode;

    private bool CanConnect()
    {
        try { SwitchClient.Connect(Socket).Dispose(); return true; }
        catch (NativeException) { return false; }
    }

    /// <summary>Attaches a namespace with `containet attach`, as a user would.</summary>
    public void Attach(NetNs ns, string cidr, params string[] extra) =>
        Run.Command(Repo.Program("containet"), ["attach", "-s", Socket, "--netns", ns.Name, "--ip", cidr, .. extra]).EnsureSuccess();

    public JsonElement Ports()
    {
        var r = Run.Command(Repo.Program("containet"), "ports", "-s", Socket, "--json").EnsureSuccess();
        return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("ports");
    }

    /// <summary>The node ids that have ports, asked over the control socket.</summary>
    public string[] Nodes()
    {
        using var c = SwitchClient.Connect(Socket);
        using var ports = c.Query(new SwitchRequest.ListPorts(null));
        return ports.RootElement.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("nodeid").GetString()!).ToArray();
    }

    public JsonElement? Port(string node)
    {
        foreach (var p in Ports().EnumerateArray())
            if (p.GetProperty("nodeid").GetString() == node) return p;
        return null;
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code.</summary>
    public int Stop()
    {
        process.Signal(Signal.Term);
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new TimeoutException("containet did not exit on SIGTERM:\n" + Log);
        }
        return process.ExitCode;
    }

    public void Dispose()
    {
        try { Stop(); }
        catch (TimeoutException) { }
        process.Dispose();
        Dir.Dispose();
    }
}
