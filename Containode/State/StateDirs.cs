namespace Containode;

/// <summary>
/// Where containers live, as runc and Docker keep it: runtime state that dies with the machine under
/// /run/containet/containers/ID (the run directory: lock, PIDs, the root's mount point, clean-up), and what must
/// survive a reboot under /var/lib/containet/containers/ID (the spec, the default TOP, logs, exit status), with
/// /var/lib/containet/names/NAME pointing at the container that has that name. A user without root has their own:
/// $XDG_RUNTIME_DIR/containet and ~/.local/share/containet (<see cref="Rootless"/>). CONTAINET_RUN_DIR and
/// CONTAINET_LIB_DIR move root's two trees (tests and benchmarks keep their containers apart with them).
/// </summary>
public sealed record StateDirs(string Run, string Lib)
{
    public static StateDirs Default => defaults.Value;

    private static readonly Lazy<StateDirs> defaults = new(() => Containet.Native.Posix.IsRoot
        ? new(Path.Combine(Environment.GetEnvironmentVariable("CONTAINET_RUN_DIR") is { Length: > 0 } r ? r : "/run/containet", "containers"),
            Path.Combine(Environment.GetEnvironmentVariable("CONTAINET_LIB_DIR") is { Length: > 0 } l ? l : "/var/lib/containet", "containers"))
        : new(Path.Combine(Rootless.StateDirectory, "containers"), Path.Combine(Rootless.DataDirectory, "containers")));

    public string Names => Path.Combine(Path.GetDirectoryName(Lib)!, "names");

    public string RunOf(string id) => Path.Combine(Run, id);
    public string LibOf(string id) => Path.Combine(Lib, id);
    public string NameLink(string name) => Path.Combine(Names, name);
}
