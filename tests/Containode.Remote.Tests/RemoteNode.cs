using System.Diagnostics;
using System.Text.RegularExpressions;
using Containode.Remote.Client;
using Grpc.Net.Client;

namespace Containode.Remote.Tests;

/// <summary>
/// A real `containode serve` on 127.0.0.1 (a free port), its containers' state in a temp folder of its own
/// (CONTAINET_RUN_DIR, CONTAINET_LIB_DIR), with the busybox root offered as "busybox" and ops as administrator.
/// <see cref="Restart"/> stops it with SIGTERM and starts a new one on the same state; Dispose removes every
/// container it made, ends the server and removes the folder, also when the test failed.
/// </summary>
public sealed partial class RemoteNode : IDisposable
{
    private readonly TempDir state = new("containode-serve");
    private readonly string[] extra;
    private readonly List<string> log = [];
    private Process? server;

    public TestPki Pki { get; } = new();
    public string Address { get; private set; } = "";
    public int ServerPid => server!.Id;
    public Dictionary<string, string> Environment => new()
    {
        ["CONTAINET_RUN_DIR"] = state.Combine("run"),
        ["CONTAINET_LIB_DIR"] = state.Combine("lib"),
        ["MOCKER_STORE"] = state.Combine("images"),
    };

    public RemoteNode(string rootPath, params string[] options)
    {
        extra = ["--root", "busybox=" + rootPath, "--admin", "ops", .. options];
        Start();
    }

    public string Log { get { lock (log) return string.Join('\n', log); } }

    public void Start()
    {
        // Started in the folder that holds its jobs' state, as a service may be started in its state's parent.
        var start = new ProcessStartInfo(Repo.Program("containode")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = state.Path };
        foreach (var a in (string[])["serve", "--listen", "127.0.0.1:0", "--tls-cert", Pki.Cert("node"), "--tls-key", Pki.Key("node"), "--tls-ca", Pki.Ca, .. extra])
            start.ArgumentList.Add(a);
        foreach (var (k, v) in Environment) start.Environment[k] = v;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server = Process.Start(start)!;
        void Line(string? line)
        {
            if (line is null) return;
            lock (log) log.Add(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        }
        server.OutputDataReceived += (_, e) => Line(e.Data);
        server.ErrorDataReceived += (_, e) => Line(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("containode serve did not say where it listens:\n" + Log);
        Address = listening.Task.Result;
    }

    /// <summary>SIGTERM, as a service manager stops it; waits for it to end.</summary>
    public void Stop()
    {
        if (server is null || server.HasExited) return;
        Run.Command("kill", "-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!server.WaitForExit(TimeSpan.FromSeconds(20))) server.Kill();
        server.WaitForExit();
    }

    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>A client presenting <paramref name="identity"/>'s certificate.</summary>
    public Jobs.JobsClient Client(string identity) => new(Channel(identity));

    public GrpcChannel Channel(string identity, string? ca = null, string serverName = TestPki.ServerName) => new RemoteConnection
    {
        Address = "https://" + Address,
        CertFile = Pki.Cert(identity),
        KeyFile = Pki.Key(identity),
        CaFile = ca ?? Pki.Ca,
        Name = serverName,
    }.Open();

    /// <summary>The server's resident memory, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{server!.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no VmRSS");
    }

    public void Dispose()
    {
        var lib = state.Combine("lib", "containers");
        if (Directory.Exists(lib))
            foreach (var container in Directory.EnumerateDirectories(lib))
                Run.Command(Repo.Program("containode"), ["rm", "-f", Path.GetFileName(container)], TimeSpan.FromSeconds(30), env: Environment);
        Stop();
        server?.Dispose();
        Pki.Dispose();
        state.Dispose();
    }

    [GeneratedRegex(@"listening on https://(\S+)")]
    private static partial Regex ListeningLine();
}
