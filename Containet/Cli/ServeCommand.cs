using System.CommandLine;
using System.Runtime.InteropServices;
using Containet.Control;
using Containet.Native;
using Containet.Network;
using Containet.Restart;
using Containet.Switching;
using Microsoft.Extensions.Logging;

namespace Containet.Cli;

/// <summary>The switch daemon itself: the root command.</summary>
internal static class ServeCommand
{
    /// <param name="socket">The socket option, which the subcommands share.</param>
    /// <param name="tokenFile">The token file option: the token the switch requires, or that a subcommand sends.</param>
    public static RootCommand Create(Option<string> socket, Option<string?> tokenFile)
    {
        var defaults = new SwitchOptions();
        var limits = new ControlOptions();
        var group = new Option<string?>("--group") { Description = "group that may use the socket besides root", HelpName = "NAME" };
        var age = new Option<double>("--age") { Description = "seconds before an unused MAC entry expires", DefaultValueFactory = _ => defaults.MacAge.TotalSeconds, HelpName = "SECONDS" };
        var maxMacs = new Option<int>("--max-macs") { Description = "capacity of the MAC table", DefaultValueFactory = _ => defaults.MaxMacs, HelpName = "N" };
        var queue = new Option<int>("--queue-bytes") { Description = "bound of each port's output queue", DefaultValueFactory = _ => defaults.QueueBytes, HelpName = "BYTES" };
        var threads = new Option<int>("--threads") { Description = "receive loops (threads waiting on port fds); default 1 on up to 2 cores, else one per core up to 4", DefaultValueFactory = _ => defaults.ReceiveLoops, HelpName = "N" };
        var pollUs = new Option<int>("--poll-us") { Description = "microseconds a loop keeps reading the ports that just moved frames before it sleeps (0: never poll)", DefaultValueFactory = _ => (int)defaults.PollBudget.TotalMicroseconds, HelpName = "MICROSECONDS" };
        var netnsPool = new Option<int>("--netns-pool") { Description = "network namespaces with a TAP kept ready for launchers (take-netns); 0: none", DefaultValueFactory = _ => 2, HelpName = "N" };
        var write = new Option<string?>("--write", "-w") { Description = "write every forwarded frame to a pcap file", HelpName = "FILE" };
        var maxConnections = new Option<int>("--max-connections") { Description = "control connections open at once, on all sockets", DefaultValueFactory = _ => limits.MaxConnections, HelpName = "N" };
        var maxPerPeer = new Option<int>("--max-connections-per-peer") { Description = "control connections one user (on the switch's socket) or one node (on its own socket) may hold; a launcher's connection holding a port does not count; also the ports one user may have made in namespaces of their own (add-netns)", DefaultValueFactory = _ => limits.MaxConnectionsPerPeer, HelpName = "N" };
        var idle = new Option<double>("--idle-timeout") { Description = "seconds before a control connection that holds no port and sends nothing is closed", DefaultValueFactory = _ => limits.IdleTimeout.TotalSeconds, HelpName = "SECONDS" };
        var stateDir = new Option<string?>("--state-dir") { Description = "where the switch keeps what a restart needs: its state file and the pins of taken namespaces (netns/NODE) (default: the socket's path with .d for its extension)", HelpName = "DIR" };
        var grace = new Option<double>("--ctrlsock-grace") { Description = "seconds a node's control socket (add-ctrlsock) waits for the node's first port", DefaultValueFactory = _ => limits.CtrlSockGrace.TotalSeconds, HelpName = "SECONDS" };
        var subnet = new Option<string?>("--subnet") { Description = "IPv4 network to give containers addresses from (take-netns without an address), with a host port, DNS and optional NAT", HelpName = "CIDR" };
        var gatewayIp = new Option<string?>("--gateway-ip") { Description = "the host port's address, the containers' gateway and nameserver (default: the subnet's first address)", HelpName = "ADDR" };
        var ipRange = new Option<string?>("--ip-range") { Description = "lease only from this part of the subnet", HelpName = "CIDR" };
        var hostPort = new Option<string>("--host-port") { Description = "name of the switch's TAP in its own network namespace, which has the gateway address", DefaultValueFactory = _ => NetworkOptions.DefaultHostPort, HelpName = "NAME" };
        var nat = new Option<bool>("--nat") { Description = "forward and masquerade the subnet's traffic to other networks, and allow published ports (an nftables table of the switch's own)" };
        var networkDir = new Option<string>("--network-dir") { Description = "where the leases are kept, as HOSTPORT.json", DefaultValueFactory = _ => NetworkOptions.DefaultLeaseDirectory, HelpName = "DIR" };
        var logLevel = CommonOptions.LogLevel();
        var root = new RootCommand("containet: a userspace Ethernet switch for containers.\nServes a control socket that takes TAP fds (SCM_RIGHTS) and switches frames between them.")
        {
            socket, group, tokenFile, age, maxMacs, queue, threads, pollUs, netnsPool, write, maxConnections, maxPerPeer, idle, grace, stateDir,
            subnet, gatewayIp, ipRange, hostPort, nat, networkDir, logLevel,
        };
        root.SetAction(r =>
        {
            var options = new SwitchOptions
            {
                MacAge = TimeSpan.FromSeconds(r.GetValue(age)),
                MaxMacs = r.GetValue(maxMacs),
                QueueBytes = r.GetValue(queue),
                ReceiveLoops = r.GetValue(threads),
                PollBudget = TimeSpan.FromMicroseconds(r.GetValue(pollUs)),
                CapturePath = r.GetValue(write),
            };
            if (options.MaxMacs < 1 || options.QueueBytes < 65536 || options.MacAge <= TimeSpan.Zero || options.ReceiveLoops is < 1 or > 64)
                throw new UsageException("--max-macs must be positive, --queue-bytes at least 65536, --age positive, --threads 1 to 64");
            if (r.GetValue(pollUs) is < 0 or > 10_000) throw new UsageException("--poll-us takes 0 to 10000");
            if (r.GetValue(netnsPool) is < 0 or > 64) throw new UsageException("--netns-pool takes 0 to 64");
            var control = new ControlOptions
            {
                MaxConnections = r.GetValue(maxConnections),
                MaxConnectionsPerPeer = r.GetValue(maxPerPeer),
                IdleTimeout = TimeSpan.FromSeconds(r.GetValue(idle)),
                CtrlSockGrace = TimeSpan.FromSeconds(r.GetValue(grace)),
            };
            if (control.MaxConnections < 1 || control.MaxConnectionsPerPeer < 1 || control.IdleTimeout <= TimeSpan.Zero || control.CtrlSockGrace <= TimeSpan.Zero)
                throw new UsageException("--max-connections and --max-connections-per-peer must be positive, --idle-timeout and --ctrlsock-grace too");
            NetworkOptions? network = null;
            if (r.GetValue(subnet) is { } net)
            {
                try { network = NetworkOptions.Create(net, r.GetValue(gatewayIp), r.GetValue(ipRange), r.GetValue(hostPort)!, r.GetValue(nat), r.GetValue(networkDir)!); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            else if (r.GetValue(nat) || r.GetValue(gatewayIp) is not null || r.GetValue(ipRange) is not null)
                throw new UsageException("--nat, --gateway-ip and --ip-range belong to a network: give --subnet");
            var path = r.GetValue(socket)!;
            var state = r.GetValue(stateDir) ?? Path.ChangeExtension(Path.GetFullPath(path), ".d");
            return Serve(path, state, r.GetValue(group), CommonOptions.ReadToken(r.GetValue(tokenFile)), options, control, r.GetValue(netnsPool), network, r.GetValue(logLevel));
        });
        return root;
    }

    private static int Serve(string path, string stateDir, string? groupName, string? token, SwitchOptions options, ControlOptions control, int poolSize,
        NetworkOptions? networkOptions, LogLevel level)
    {
        uint? groupId = null;
        if (groupName is not null)
            groupId = PeerPolicy.ResolveGroup(groupName) ?? throw new UsageException($"no such group: {groupName}");
        using var loggers = CommonOptions.Logging(level);
        var logger = loggers.CreateLogger("containet");
        using var stop = new ManualResetEventSlim();
        var reason = "";
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            reason = c.Signal.ToString();
            stop.Set();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // Before anything is set up: a second switch on a live socket says so, not that its state or network is taken.
        SocketFile.CheckFree(path);
        SafeFd? listener = null;
        try
        {
            using var frameSwitch = new FrameSwitch(options, logger);
            using var keeper = new PortKeeper(stateDir, frameSwitch, logger);
            // Before the ports come back: a restored port finds its lease, and leases of gone launchers end.
            using var network = networkOptions is null ? null : SwitchNetwork.Start(networkOptions, frameSwitch, logger);
            frameSwitch.PortRemoved = port =>
            {
                keeper.Forget(port);
                network?.PortRemoved(port);
            };
            keeper.Restore();
            using var pool = poolSize > 0 ? new NetnsPool(poolSize) : null;
            using var server = new ControlServer(add => new ControlHandler(frameSwitch, token, add, pool, keeper, network, control.MaxConnectionsPerPeer), frameSwitch,
                new PeerPolicy(Posix.EffectiveUid, groupId), control, logger);
            frameSwitch.PortRemoved = port =>
            {
                keeper.Forget(port);
                network?.PortRemoved(port);
                server.PortRemoved(port);
            };
            // Only once all is set up, and now that a signal is handled: once the socket answers, SIGTERM must mean a clean exit.
            listener = SocketFile.Claim(path, groupId);
            server.Serve(listener);
            ContainetLog.Listening(logger, path);
            pool?.Start();
            stop.Wait();
            ContainetLog.ShuttingDown(logger, reason);
        }
        finally
        {
            if (listener is not null) SocketFile.Release(path);
        }
        return 0;
    }
}
