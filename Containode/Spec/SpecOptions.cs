using System.Globalization;
using Containet.Native;

namespace Containode;

/// <summary>
/// One setting of a <see cref="ContainerSpec"/>: its key in a config file, its long option, the short letters of the
/// original form and of `run` (three letters differ: -t, -i, -p), how a value sets it and how the spec gives its
/// values back (a saved spec is a config file). A flag's value is true or false.
/// </summary>
public sealed record SpecOption(string Key, string? Long, string? ValueName, string Help, Action<ContainerSpec, string> Set, Func<ContainerSpec, IEnumerable<string>> Get)
{
    /// <summary>Its letter in the original form, `containode [options] COMMAND`.</summary>
    public char? Short { get; init; }

    /// <summary>Its letter in `run` and `create`, docker's.</summary>
    public char? RunShort { get; init; }

    public string[] Aliases { get; init; } = [];

    /// <summary>Given once per value (-e, -v, a config file's env= lines), rather than once.</summary>
    public bool Repeatable { get; init; }

    public bool IsFlag => ValueName is null;
}

/// <summary>Every setting a container has, in the order help lists them and a saved spec writes them.</summary>
public static class SpecOptions
{
    public static readonly SpecOption[] All =
    [
        Text("root", "--root", "ROOT", "root filesystem, the overlay's lower dir (default: the host's root)", (s, v) => s.Root = v, s => s.Root) with { Short = 'r', RunShort = 'r' },
        Text("image", null, "IMAGE", "an image from mocker's store, instead of root", (s, v) => s.Image = v, s => s.Image),
        Text("top", "--top", "TOP", "keeps the container's changes: TOP/root upper, TOP/work work dir (default: its state directory)", (s, v) => s.Top = v, s => s.Top) with { Short = 't' },
        Text("name", "--name", "NAME", "identity: hostname, switch node id and name (default: random)", (s, v) => s.Name = v, s => s.Name) with { Short = 'i', Aliases = ["--id"] },
        Text("init", null, "PATH", "the command; @PATH is a program outside the container", SetInit, s => s.Command.Count == 0 ? null : (s.CommandFromHost ? "@" : "") + s.Command[0]),
        List("arg", null, "ARG", "an argument of the command, one per line", (s, v) => s.Command.Add(v), s => s.Command.Skip(1)),
        Text("switch", "--socket", "SOCK", "attach eth0 to the containet switch at SOCK (without root: one whose --group you are in)", (s, v) => s.Socket = v, s => s.Socket) with { Short = 's', RunShort = 's', Aliases = ["--switch"] },
        Text("ip", "--ipv4", "ADDR[/MASK]", "IPv4 address of eth0; the mask defaults by address class", (s, v) => s.Address = UsageException.Check(() => Addressing.ParseCidr(v)), s => s.Address is { } a ? $"{a.Address}/{a.Prefix}" : null) with { Short = '4', RunShort = '4', Aliases = ["--ip"] },
        Text("mac", "--mac", "MAC", "MAC address of eth0 (default: random, locally administered)", (s, v) => s.Mac = UsageException.Check(() => Addressing.ParseMac(v)), s => s.Mac is null ? null : Addressing.FormatMac(s.Mac)),
        Text("mtu", "--mtu", "N", "MTU of eth0", (s, v) => s.Mtu = UsageException.Check(() => InterfaceLimits.ParseMtu(v)), s => s.Mtu?.ToString(CultureInfo.InvariantCulture)),
        Text("gateway", "--gateway", "ADDR", "default route via ADDR", (s, v) => s.Gateway = UsageException.Check(() => Addressing.ParseAddress(v)), s => s.Gateway?.ToString()),
        Text("token", "--auth-token", "TOKEN", "switch auth token (default: a random one per container)", (s, v) => s.Token = v, s => s.Token) with { Short = 'a' },
        Text("ctl_socket", "--ctl-socket", "PATH", "a listening socket at PATH inside the container, handed to the switch (add-ctrlsock)", (s, v) => s.CtrlSocketPath = v, s => s.CtrlSocketPath) with { Short = 'p', Aliases = ["--ctrl-socket"] },
        NamespaceSettings.Given("publish", "--publish", "[HOST_IP:]HOST_PORT:PORT[/udp]", "publish a container port on the host (needs a switch with --subnet and --nat)",
            (s, v) => s.Publish.Add(PublishedPort.Parse(v))) with { RunShort = 'p', Repeatable = true },
        Flag("share_net", "--share-net", "share the host's network namespace", (s, v) => s.ShareNetwork = v, s => s.ShareNetwork) with { Short = 'N', RunShort = 'N' },
        Flag("share_ipc", "--share-ipc", "share the host's IPC namespace", (s, v) => s.ShareIpc = v, s => s.ShareIpc) with { Short = 'I', RunShort = 'I' },
        Text("namespaces", null, "all|LETTERS", "the namespaces to make: all, or letters of uphti (user, pid, hostname, time, ipc)", SetNamespaces, s => Given(s, "namespaces").LastOrDefault()),
        .. NamespaceSettings.All,
        List("env", "--env", "KEY=VALUE", "set KEY=VALUE in the command's environment (KEY alone: inherit)", (s, v) => s.Environment.Add(v), s => s.Environment) with { Short = 'e', RunShort = 'e' },
        Text("workdir", "--workdir", "DIR", "working directory inside the container (default: the image's, or /)", (s, v) => s.WorkingDirectory = v, s => s.WorkingDirectory) with { Short = 'w', RunShort = 'w' },
        Text("user", "--user", "UID[:GID]", "run the command as this user (numbers)", (s, v) => s.User = UserSpec.Check(v), s => s.User) with { Short = 'u', RunShort = 'u' },
        List("volume", "--volume", "SRC:DST[:ro]", "bind mount SRC at DST, read-only with :ro", (s, v) => s.Volumes.Add(Volume.Parse(v)), s => Pick(s.Volumes, v => !v.Optional, v => v.ToString())) with { Short = 'v', RunShort = 'v' },
        List("mount", null, "SRC:DEST", "bind mount SRC at DEST; one that fails is warned about and the container starts", (s, v) => s.Volumes.Add(Volume.Parse(v, optional: true)), s => Pick(s.Volumes, v => v.Optional, v => v.ToString())),
        List("mount_ro", null, "SRC:DEST", "bind mount SRC at DEST read-only; one that fails stops the start", (s, v) => s.Volumes.Add(Volume.Parse(v) with { ReadOnly = true }), _ => []),
        Flag("reaper", "--init", "run a minimal PID 1 that reaps zombies and forwards signals", (s, v) => s.Init = v, s => s.Init),
        Flag("no_overlay", "--no-overlay", "no overlay: the container writes straight into ROOT", (s, v) => s.NoOverlay = v, s => s.NoOverlay) with { Short = 'C', RunShort = 'C' },
        List("cap_add", "--cap-add", "CAP", "add a capability to Docker's default set (ALL: every one)", (s, v) => s.CapAdd.Add(v), s => s.CapAdd),
        List("cap_drop", "--cap-drop", "CAP", "drop a capability (ALL: every one)", (s, v) => s.CapDrop.Add(v), s => s.CapDrop),
        List("security_opt", "--security-opt", "OPT", "seccomp=FILE|unconfined, no-new-privileges[=true|false]", (s, v) => s.SecurityOptions.Add(v), s => s.SecurityOptions),
        Flag("privileged", "--privileged", "every capability, no seccomp, no masked paths, /sys writable, all devices", (s, v) => s.Privileged = v, s => s.Privileged),
        Flag("read_only", "--read-only", "mount the container's root read-only", (s, v) => s.ReadOnlyRoot = v, s => s.ReadOnlyRoot),
        List("device", "--device", "/dev/HOST[:/dev/CONTAINER][:rwm]", "give the container a host device", (s, v) => s.Devices.Add(v), s => s.Devices),
        Flag("rw_host_root", "--rw-host-root", "without a root, run on the host's root read-write (default: read-only, private /tmp and /run)", (s, v) => s.ReadWriteHostRoot = v, s => s.ReadWriteHostRoot),
        Flag("tty", "--tty", "give the container a pseudo-terminal", (s, v) => s.Tty = v, s => s.Tty) with { RunShort = 't' },
        Flag("interactive", "--interactive", "keep the command's stdin open", (s, v) => s.Interactive = v, s => s.Interactive) with { RunShort = 'i' },
        Text("restart", "--restart", "POLICY", "no, on-failure[:N] or always: start the command again when it ends (detached)", (s, v) => s.Restart = RestartPolicy.Parse(v), s => s.Restart == RestartPolicy.No ? null : s.Restart.ToString()),
        Flag("rm", "--rm", "remove the container (state, TOP, logs) when it exits", (s, v) => s.AutoRemove = v, s => s.AutoRemove),
        .. ResourceSettings.All,
    ];

    private static readonly Dictionary<string, SpecOption> ByKey = All.ToDictionary(o => o.Key);

    public static SpecOption? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>
    /// The spec as a config file's lines, KEY=VALUE: in the table's order, then the settings kept as given
    /// (<see cref="ContainerSpec.Given"/>) in the order they were given, since a later one may override an earlier
    /// one (device_write_iops after iops_limit for one device, --pid after namespaces=) and must still when read back.
    /// </summary>
    public static IEnumerable<string> Lines(ContainerSpec spec)
    {
        var given = spec.Given.Select(g => g.Key).ToHashSet();
        foreach (var option in All)
            if (!given.Contains(option.Key))
                foreach (var value in option.Get(spec))
                    yield return option.Key + "=" + value;
        foreach (var (key, value) in spec.Given) yield return key + "=" + value;
    }

    public static bool ParseBool(string value) => value switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new UsageException($"'{value}' is not true or false"),
    };

    private static void SetInit(ContainerSpec s, string v)
    {
        if (s.Command.Count > 0) throw new UsageException("the command is given twice (init= comes before any arg=)");
        s.CommandFromHost = v.StartsWith('@');
        var path = s.CommandFromHost ? v[1..] : v;
        if (path.Length == 0 || (s.CommandFromHost && !path.StartsWith('/'))) throw new UsageException($"bad init '{v}': a path, or @ and an absolute host path");
        s.Command.Add(path);
    }

    /// <summary>
    /// minimal_containers' namespaces: the letters of those the container gets (u user, p pid, h hostname, t time,
    /// i ipc); one left out is the host's.
    /// </summary>
    private static void SetNamespaces(ContainerSpec s, string v)
    {
        var letters = v == "all" ? "uphti" : v;
        foreach (var c in letters)
            if (c is not ('u' or 'p' or 'h' or 't' or 'i') || letters.Count(x => x == c) > 1)
                throw new UsageException($"bad namespaces '{v}': all, or each of u, p, h, t, i at most once");
        var ns = s.Namespaces with { PrivateUsers = letters.Contains('u'), Time = letters.Contains('t') };
        ns = ns.Share(Containet.Native.Namespaces.Pid, "namespaces", letters.Contains('p') ? "private" : "host");
        s.Namespaces = ns.Share(Containet.Native.Namespaces.Uts, "namespaces", letters.Contains('h') ? "private" : "host");
        s.ShareIpc = !letters.Contains('i');
        s.Given.Add(("namespaces", v));
    }

    /// <summary>The values given for <paramref name="key"/>, in order (<see cref="ContainerSpec.Given"/>).</summary>
    internal static IEnumerable<string> Given(ContainerSpec s, string key) => Pick(s.Given, g => g.Key == key, g => g.Value);

    /// <summary>
    /// Where and Select in one: a LINQ chain's Select on Where's result is a generic virtual call, which the
    /// native runtime resolves at its first call, at each start (the spec's lines are written at each start).
    /// </summary>
    private static IEnumerable<string> Pick<T>(IEnumerable<T> items, Func<T, bool> keep, Func<T, string> text)
    {
        foreach (var item in items)
            if (keep(item)) yield return text(item);
    }

    internal static SpecOption Text(string key, string? @long, string valueName, string help, Action<ContainerSpec, string> set, Func<ContainerSpec, string?> get) =>
        new(key, @long, valueName, help, set, s => get(s) is { } v ? [v] : []);

    internal static SpecOption List(string key, string? @long, string valueName, string help, Action<ContainerSpec, string> add, Func<ContainerSpec, IEnumerable<string>> get) =>
        new(key, @long, valueName, help, add, get) { Repeatable = true };

    internal static SpecOption Flag(string key, string @long, string help, Action<ContainerSpec, bool> set, Func<ContainerSpec, bool> get) =>
        new(key, @long, null, help, (s, v) => set(s, ParseBool(v)), s => get(s) ? ["true"] : []);
}
