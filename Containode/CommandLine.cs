using System.CommandLine;

namespace Containode;

/// <summary>
/// containode [options] [--] COMMAND [ARGS...]. Options end at the first word that is not one, so the
/// command's own flags (`sh -c ...`) are never taken for containode's.
/// </summary>
public static class CommandLine
{
    private static readonly Option<string?> Socket = new("-s", "--socket") { Description = "attach eth0 to the containet switch at SOCK", HelpName = "SOCK" };
    private static readonly Option<string?> Address = new("-4", "--ipv4") { Description = "IPv4 address of eth0; the mask defaults by address class", HelpName = "ADDR[/MASK]" };
    private static readonly Option<string?> Root = new("-r", "--root") { Description = "root filesystem, the overlay's lower dir (default: the host's root)", HelpName = "ROOT" };
    private static readonly Option<string?> Top = new("-t", "--top") { Description = "keeps the container's changes: TOP/root upper, TOP/work work dir (default: ROOT.ID)", HelpName = "TOP" };
    private static readonly Option<string?> Id = new("-i", "--id") { Description = "identity: hostname and switch node id (default: random)", HelpName = "ID" };
    private static readonly Option<bool> ShareNet = new("-N", "--share-net") { Description = "share the host's network namespace" };
    private static readonly Option<bool> ShareIpc = new("-I", "--share-ipc") { Description = "share the host's IPC namespace" };
    private static readonly Option<string?> Token = new("-a", "--auth-token") { Description = "switch auth token (default: the identity)", HelpName = "TOKEN" };
    private static readonly Option<string?> CtrlSock = new("-p", "--ctrl-socket") { Description = "listening socket at PATH inside the container, handed to the switch (add-ctrlsock)", HelpName = "PATH" };
    private static readonly Option<string[]> Env = new("-e", "--env") { Description = "set KEY=VALUE in the command's environment (KEY alone: inherit)", HelpName = "KEY=VALUE" };
    private static readonly Option<string> Workdir = new("-w", "--workdir") { Description = "working directory inside the container", HelpName = "DIR", DefaultValueFactory = _ => "/" };
    private static readonly Option<string[]> Volumes = new("-v", "--volume") { Description = "bind mount SRC at DST, read-only with :ro", HelpName = "SRC:DST[:ro]" };
    private static readonly Option<string?> Mac = new("--mac") { Description = "MAC address of eth0 (default: random, locally administered)", HelpName = "MAC" };
    private static readonly Option<int?> Mtu = new("--mtu") { Description = "MTU of eth0", HelpName = "N" };
    private static readonly Option<string?> Gateway = new("--gateway") { Description = "default route via ADDR", HelpName = "ADDR" };
    private static readonly Option<bool> Init = new("--init") { Description = "run a minimal PID 1 that reaps zombies and forwards signals" };
    private static readonly Option<bool> NoOverlay = new("-C", "--no-overlay") { Description = "no overlay: the container writes straight into ROOT" };
    private static readonly Argument<string[]> CommandArgument = new("COMMAND") { Description = "the command and its arguments, resolved through PATH inside the container" };

    private static readonly HashSet<string> TakesValue = ["-s", "--socket", "-4", "--ipv4", "-r", "--root", "-t", "--top", "-i", "--id",
        "-a", "--auth-token", "-p", "--ctrl-socket", "-e", "--env", "-w", "--workdir", "-v", "--volume", "--mac", "--mtu", "--gateway"];

    public static RootCommand Build()
    {
        var root = new RootCommand("containode: start COMMAND in a new container, its eth0 plugged into a containet switch.")
        {
            Socket, Address, Root, Top, Id, ShareNet, ShareIpc, Token, CtrlSock, Env, Workdir, Volumes, Mac, Mtu, Gateway, Init, NoOverlay, CommandArgument,
        };
        Env.AllowMultipleArgumentsPerToken = false;
        Volumes.AllowMultipleArgumentsPerToken = false;
        CommandArgument.Arity = ArgumentArity.ZeroOrMore;
        return root;
    }

    /// <summary>Options that were not recognised: the split leaves them with the options, and the parser sees them as COMMAND.</summary>
    public static string[] Unknown(ParseResult r) => r.GetValue(CommandArgument) ?? [];

    /// <summary>Splits argv into containode's options and the command (everything from the first non-option word).</summary>
    public static (string[] Options, string[] Command) Split(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") return (args[..i], args[(i + 1)..]);
            if (!a.StartsWith('-') || a == "-") return (args[..i], args[i..]);
            if (TakesValue.Contains(a)) i++;
        }
        return (args, []);
    }

    public static LaunchOptions Bind(ParseResult r, string[] command) => new()
    {
        Socket = r.GetValue(Socket),
        Address = r.GetValue(Address),
        Root = r.GetValue(Root),
        Top = r.GetValue(Top),
        Identity = r.GetValue(Id),
        ShareNetwork = r.GetValue(ShareNet),
        ShareIpc = r.GetValue(ShareIpc),
        Token = r.GetValue(Token),
        CtrlSocketPath = r.GetValue(CtrlSock),
        Environment = r.GetValue(Env) ?? [],
        WorkingDirectory = r.GetValue(Workdir) ?? "/",
        Volumes = r.GetValue(Volumes) ?? [],
        Mac = r.GetValue(Mac),
        Mtu = r.GetValue(Mtu),
        Gateway = r.GetValue(Gateway),
        Init = r.GetValue(Init),
        NoOverlay = r.GetValue(NoOverlay),
        Command = command,
    };
}
