namespace Containode.Cli;

/// <summary>
/// `containode serve`, and the verbs against a remote node, are other programs': containode's native main
/// (Containode/Native/main.c) execs containode-serve or containode-remote before the runtime starts. What the managed
/// side needs of them: the help's line, and the server's gen0 setting, which its own children go without.
/// </summary>
public static class RemoteHandOff
{
    public const string ServeVerb = "serve";
    public const string ServeSummary = "Serve this node's containers as jobs over gRPC and mutual TLS (containode serve --help).";

    /// <summary>containode-serve's gen0 budget (main.c sets it unless the caller did); the server's children go without it.</summary>
    public const string ServerGen0Variable = "DOTNET_GCgen0size";
}
