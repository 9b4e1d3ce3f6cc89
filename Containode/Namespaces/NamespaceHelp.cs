using System.CommandLine;

namespace Containode;

/// <summary>How --help shows the namespace options (CommandLine.Parse reads them by hand).</summary>
public static class NamespaceHelp
{
    public static readonly Option[] Options =
    [
        new Option<string>("--userns") { Description = "private: a user namespace of its own, root inside an unprivileged uid outside", HelpName = "private|host" },
        new Option<string[]>("--uidmap") { Description = "map uids (repeatable; implies --userns private; default 0:1000000000:65536)", HelpName = "CONTAINER:HOST:SIZE" },
        new Option<string[]>("--gidmap") { Description = "map gids (repeatable; default: as --uidmap)", HelpName = "CONTAINER:HOST:SIZE" },
        new Option<bool>("--timens") { Description = "a time namespace: uptime and the monotonic clocks start at zero" },
        new Option<string>("--pid") { Description = "host: share the host's PID namespace", HelpName = "host|private" },
        new Option<string>("--uts") { Description = "host: share the host's hostname", HelpName = "host|private" },
        new Option<string>("--ipc") { Description = "host: share the host's IPC namespace (-I)", HelpName = "host|private" },
        new Option<string>("--net") { Description = "host: share the host's network (-N)", HelpName = "host|private" },
        new Option<string>("--cgroupns") { Description = "host: see the host's cgroup tree", HelpName = "host|private" },
    ];
}
