using Containet.Native;

namespace Containode.Cli;

/// <summary>
/// `containode serve`, and the verbs against a remote node (a first option --host/-H or --tls-*, or CONTAINODE_HOST
/// with a verb the remote client has), are other programs': containode execs containode-serve or containode-remote,
/// found beside its own executable as it finds mocker, so ASP.NET Core and gRPC never weigh on containode's own size
/// or start.
/// </summary>
public static class RemoteHandOff
{
    public const string Client = "containode-remote", Server = "containode-serve", ServeVerb = "serve";
    public const string ServeSummary = "Serve this node's containers as jobs over gRPC and mutual TLS (containode serve --help).";

    private static readonly string[] RemoteVerbs = ["run", "ps", "logs", "inspect", "stop", "kill", "rm", "stats"];

    public static bool Wanted(string[] args) =>
        args.Length > 0 && (args[0] == ServeVerb || args[0] == "-H" || args[0].StartsWith("--host", StringComparison.Ordinal)
            || args[0].StartsWith("--tls-", StringComparison.Ordinal)
            || (Environment.GetEnvironmentVariable("CONTAINODE_HOST") is { Length: > 0 } && RemoteVerbs.Contains(args[0])));

    public static int Exec(string[] args)
    {
        var serve = args[0] == ServeVerb;
        var program = serve ? Server : Client;
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", program, program));
        if (!File.Exists(path)) throw new LaunchException($"{path} is missing: containode serve and remote nodes need it installed beside containode (make install)");
        // A small gen0 keeps the server's peak RSS with many followers down (bench/remote.sh has the figures). A
        // DOTNET_GCgen0size of the caller's own stands.
        if (serve && Environment.GetEnvironmentVariable(ServerGen0Variable) is null) Posix.SetEnvironment(ServerGen0Variable, ServerGen0Size);
        Posix.Exec(path, [path, .. args]);
        return 1;
    }

    /// <summary>containode-serve's gen0 budget, in the hexadecimal the runtime reads; its own children go without it.</summary>
    public const string ServerGen0Variable = "DOTNET_GCgen0size", ServerGen0Size = "0x200000";
}
