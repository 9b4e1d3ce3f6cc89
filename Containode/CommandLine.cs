using System.CommandLine;
using Containode.Cgroups;

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
    private static readonly Option<string?> Token = new("-a", "--auth-token") { Description = "switch auth token (default: a random one per container)", HelpName = "TOKEN" };
    private static readonly Option<string?> CtrlSock = new("-p", "--ctrl-socket") { Description = "listening socket at PATH inside the container, handed to the switch (add-ctrlsock)", HelpName = "PATH" };
    private static readonly Option<string[]> Env = new("-e", "--env") { Description = "set KEY=VALUE in the command's environment (KEY alone: inherit)", HelpName = "KEY=VALUE" };
    private static readonly Option<string> Workdir = new("-w", "--workdir") { Description = "working directory inside the container", HelpName = "DIR", DefaultValueFactory = _ => "/" };
    private static readonly Option<string[]> Volumes = new("-v", "--volume") { Description = "bind mount SRC at DST, read-only with :ro", HelpName = "SRC:DST[:ro]" };
    private static readonly Option<string?> Mac = new("--mac") { Description = "MAC address of eth0 (default: random, locally administered)", HelpName = "MAC" };
    private static readonly Option<int?> Mtu = new("--mtu") { Description = "MTU of eth0", HelpName = "N" };
    private static readonly Option<string?> Gateway = new("--gateway") { Description = "default route via ADDR", HelpName = "ADDR" };
    private static readonly Option<string[]> Publish = new("--publish") { Description = "publish a container port on the host (needs a switch with --subnet and --nat)", HelpName = "[HOST_IP:]HOST_PORT:PORT[/udp]" };
    private static readonly Option<bool> Init = new("--init") { Description = "run a minimal PID 1 that reaps zombies and forwards signals" };
    private static readonly Option<bool> NoOverlay = new("-C", "--no-overlay") { Description = "no overlay: the container writes straight into ROOT" };
    private static readonly Option<string[]> CapAdd = new("--cap-add") { Description = "add a capability to Docker's default set (ALL: every one)", HelpName = "CAP" };
    private static readonly Option<string[]> CapDrop = new("--cap-drop") { Description = "drop a capability (ALL: every one)", HelpName = "CAP" };
    private static readonly Option<string[]> SecurityOpt = new("--security-opt") { Description = "seccomp=FILE|unconfined, no-new-privileges[=true|false]", HelpName = "OPT" };
    private static readonly Option<bool> Privileged = new("--privileged") { Description = "every capability, no seccomp, no masked paths, /sys writable, all devices" };
    private static readonly Option<bool> ReadOnlyRoot = new("--read-only") { Description = "mount the container's root read-only" };
    private static readonly Option<string[]> Device = new("--device") { Description = "give the container a host device", HelpName = "/dev/HOST[:/dev/CONTAINER][:rwm]" };
    private static readonly Option<bool> RwHostRoot = new("--rw-host-root") { Description = "without -r, run on the host's root read-write (default: read-only, private /tmp and /run)" };
    private static readonly Argument<string[]> CommandArgument = new("COMMAND") { Description = "the command and its arguments, resolved through PATH inside the container" };

    public static RootCommand Build()
    {
        var root = new RootCommand("containode: start COMMAND in a new container, its eth0 plugged into a containet switch.")
        {
            Socket, Address, Root, Top, Id, ShareNet, ShareIpc, Token, CtrlSock, Env, Workdir, Volumes, Mac, Mtu, Gateway, Publish, Init, NoOverlay,
            CapAdd, CapDrop, SecurityOpt, Privileged, ReadOnlyRoot, Device, RwHostRoot, CommandArgument,
        };
        foreach (var option in NamespaceHelp.Options) root.Options.Add(option);
        foreach (var (name, alias, value, description) in ResourceOptions.Options)
            root.Add(new Option<string?>(name, alias is null ? [] : [alias]) { Description = description, HelpName = value });
        foreach (var repeated in (Option<string[]>[])[Env, Volumes, Publish, CapAdd, CapDrop, SecurityOpt, Device])
            repeated.AllowMultipleArgumentsPerToken = false;
        CommandArgument.Arity = ArgumentArity.ZeroOrMore;
        return root;
    }

    /// <summary>
    /// Parses argv by hand: containode starts a container on every call, and building the System.CommandLine
    /// parser cost more start-up time than the rest of the launch when containode ran on the JIT. The parser
    /// above only renders --help.
    /// </summary>
    public static LaunchOptions Parse(string[] args)
    {
        var o = new LaunchOptions();
        List<string> env = [], volumes = [], capAdd = [], capDrop = [], securityOpts = [], devices = [];
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") return Finish(args[(i + 1)..]);
            if (!a.StartsWith('-') || a == "-") return Finish(args[i..]);
            // --opt=value, as GNU tools take it
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is > 2 and var eq)
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"option {a} needs a value"));
            o = a switch
            {
                "-s" or "--socket" => o with { Socket = Value() },
                "-4" or "--ipv4" => o with { Address = Value() },
                "-r" or "--root" => o with { Root = Value() },
                "-t" or "--top" => o with { Top = Value() },
                "-i" or "--id" => o with { Identity = Value() },
                "-a" or "--auth-token" => o with { Token = Value() },
                "-p" or "--ctrl-socket" => o with { CtrlSocketPath = Value() },
                "-w" or "--workdir" => o with { WorkingDirectory = Value() },
                "--mac" => o with { Mac = Value() },
                "--gateway" => o with { Gateway = Value() },
                "--publish" => o with { Publish = [.. o.Publish, PublishedPort.Parse(Value())] },
                "--mtu" => o with { Mtu = int.TryParse(Value(), out var m) && m is >= 68 and <= 65535 ? m : throw new UsageException("--mtu takes a number from 68 to 65535") },
                "-N" or "--share-net" => o with { ShareNetwork = true },
                "-I" or "--share-ipc" => o with { ShareIpc = true },
                "-C" or "--no-overlay" => o with { NoOverlay = true },
                "--init" => o with { Init = true },
                "--privileged" => o with { Privileged = true },
                "--read-only" => o with { ReadOnlyRoot = true },
                "--rw-host-root" => o with { ReadWriteHostRoot = true },
                "-e" or "--env" => Add(o, env, Value()),
                "-v" or "--volume" => Add(o, volumes, Value()),
                "--cap-add" => Add(o, capAdd, Value()),
                "--cap-drop" => Add(o, capDrop, Value()),
                "--security-opt" => Add(o, securityOpts, Value()),
                "--device" => Add(o, devices, Value()),
                "--userns" => o with { Namespaces = o.Namespaces.WithUsers(Value()) },
                "--uidmap" => o with { Namespaces = o.Namespaces.AddUidMap(Value()) },
                "--gidmap" => o with { Namespaces = o.Namespaces.AddGidMap(Value()) },
                "--timens" => o with { Namespaces = o.Namespaces with { Time = true } },
                "--pid" => o with { Namespaces = o.Namespaces.Share(Containet.Native.Namespaces.Pid, a, Value()) },
                "--uts" => o with { Namespaces = o.Namespaces.Share(Containet.Native.Namespaces.Uts, a, Value()) },
                "--cgroupns" => o with { Namespaces = o.Namespaces.Share(Containet.Native.Namespaces.Cgroup, a, Value()) },
                "--ipc" => o with { ShareIpc = NamespaceOptions.IsHost(a, Value()) },
                "--net" => o with { ShareNetwork = NamespaceOptions.IsHost(a, Value()) },
                _ when ResourceOptions.Takes(a) => o with { Resources = ResourceOptions.Apply(o.Resources, a, Value()) },
                _ => throw new UsageException($"unknown option {a}"),
            };
            if (inline is not null && !IsValued(a)) throw new UsageException($"option {a} takes no value");
        }
        return Finish([]);

        LaunchOptions Finish(string[] command) =>
            command.Length == 0
                ? throw new UsageException("no command given")
                : o with
                {
                    Environment = env, Volumes = volumes, Command = command,
                    CapAdd = capAdd, CapDrop = capDrop, SecurityOptions = securityOpts, Devices = devices,
                };
    }

    private static bool IsValued(string option) => option is not ("-N" or "--share-net" or "-I" or "--share-ipc" or "-C" or "--no-overlay"
        or "--init" or "--privileged" or "--read-only" or "--rw-host-root" or "--timens");

    private static LaunchOptions Add(LaunchOptions o, List<string> list, string value)
    {
        list.Add(value);
        return o;
    }
}
