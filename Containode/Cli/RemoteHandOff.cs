using Containet.Native;

namespace Containode.Cli;

/// <summary>
/// `containode serve`, and the verbs against a remote node (a first option --host/-H or --tls-*, or CONTAINODE_HOST
/// with a verb the remote client has), are containode-remote's: containode execs it, found beside its own
/// executable as it finds mocker, so ASP.NET Core and gRPC never weigh on containode's own size or start.
/// </summary>
public static class RemoteHandOff
{
    public const string Program = "containode-remote", ServeVerb = "serve";
    public const string ServeSummary = "Serve this node's containers as jobs over gRPC and mutual TLS (containode serve --help).";

    private static readonly string[] RemoteVerbs = ["run", "ps", "logs", "inspect", "stop", "kill", "rm", "stats"];

    public static bool Wanted(string[] args) =>
        args.Length > 0 && (args[0] == ServeVerb || args[0] == "-H" || args[0].StartsWith("--host", StringComparison.Ordinal)
            || args[0].StartsWith("--tls-", StringComparison.Ordinal)
            || (Environment.GetEnvironmentVariable("CONTAINODE_HOST") is { Length: > 0 } && RemoteVerbs.Contains(args[0])));

    public static int Exec(string[] args)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", Program, Program));
        if (!File.Exists(path)) throw new LaunchException($"{path} is missing: containode serve and remote nodes need it installed beside containode (make install)");
        // containode-remote is built for serve's server GC; a client lives for one call, and server GC's start (a heap
        // and a thread per core) was a fifth of it (bench/remote.sh). A DOTNET_gcServer of the caller's own stands.
        if (args[0] != ServeVerb && Environment.GetEnvironmentVariable("DOTNET_gcServer") is null) Posix.SetEnvironment("DOTNET_gcServer", "0");
        Posix.Exec(path, [path, .. args]);
        return 1;
    }
}
