using System.Globalization;
using Containet.Native;
using Containet.Protocol;

namespace Containode;

/// <summary>
/// A container as its state directories describe it: LIB/ID/config (its spec, a config file), LIB/ID/info
/// (name, creation and start times, restarts), LIB/ID/exit (the status the monitor recorded, its time the file's),
/// LIB/ID/oom-killed (present when the kernel's OOM killer ended the last run), and while it runs RUN/ID/pids (the container's first process and its monitor).
/// </summary>
public sealed class ContainerRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required StateDirs Dirs { get; init; }
    public required ContainerSpec Spec { get; set; }
    public DateTime Created { get; init; }
    public DateTime? Started { get; set; }
    public int Restarts { get; set; }

    public string Lib => Dirs.LibOf(Id);
    public string Run => Dirs.RunOf(Id);
    public string ShortId => Id[..12];

    /// <summary>The default TOP: the container's own state directory.</summary>
    public string DefaultTop => Lib;

    public string LogFile => Path.Combine(Lib, "container.log");
    public string ExitFile => Path.Combine(Lib, "exit");
    public string StopFile => Path.Combine(Lib, "stopped");
    public string OomFile => Path.Combine(Lib, "oom-killed");
    public string PidsFile => Path.Combine(Run, "pids");
    public string CleanUpFile => Path.Combine(Run, "cleanup");
    public string NetworkFile => Path.Combine(Run, "network");

    public static ContainerRecord Load(StateDirs dirs, string id)
    {
        var info = KeyValues(SmallFile.Read(Path.Combine(dirs.LibOf(id), "info")).Split('\n'));
        var spec = ConfigFile.Parse(Path.Combine(dirs.LibOf(id), "config"));
        return new ContainerRecord
        {
            Id = id,
            Dirs = dirs,
            Spec = spec,
            Name = info.GetValueOrDefault("name") ?? spec.Name ?? id,
            Created = Time(info.GetValueOrDefault("created")) ?? DateTime.UnixEpoch,
            Started = Time(info.GetValueOrDefault("started")),
            Restarts = int.TryParse(info.GetValueOrDefault("restarts"), CultureInfo.InvariantCulture, out var n) ? n : 0,
        };
    }

    /// <summary>Writes the spec and the info, each replacing its file whole.</summary>
    public void Save()
    {
        AtomicFile.Write(Path.Combine(Lib, "config"), string.Join('\n', SpecOptions.Lines(Spec)) + "\n");
        SaveInfo();
    }

    public void SaveInfo()
    {
        var lines = new List<string> { "id=" + Id, "name=" + Name, "created=" + Ms(Created) };
        if (Started is { } s) lines.Add("started=" + Ms(s));
        if (Restarts > 0) lines.Add("restarts=" + Restarts.ToString(CultureInfo.InvariantCulture));
        AtomicFile.Write(Path.Combine(Lib, "info"), string.Join('\n', lines) + "\n");
    }

    /// <summary>What the container is doing now, from its files and whether its monitor still lives.</summary>
    public ContainerStatus Status()
    {
        var pids = RunningPids();
        if (pids is { } p && p.Monitor.IsAlive) return new ContainerStatus(ContainerStatus.Phase.Running, null, null, p.Container.Pid);
        if (ReadExit() is { } exit) return new ContainerStatus(ContainerStatus.Phase.Exited, exit.Code, exit.At, null) { OomKilled = File.Exists(OomFile) };
        // The pids are written just before the start time: a monitor killed between the two has started its container.
        if (Started is null && pids is null) return new ContainerStatus(ContainerStatus.Phase.Created, null, null, null);
        // Started, no status recorded, no monitor: it was killed, or the machine went down.
        return new ContainerStatus(ContainerStatus.Phase.Exited, null, null, null);
    }

    /// <summary>The processes RUN/ID/pids names: the container's first process and its monitor.</summary>
    public (ProcessIdentity Container, ProcessIdentity Monitor)? RunningPids()
    {
        if (SmallFile.ReadIfExists(PidsFile) is not { } text) return null;
        var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 4) return null;
        return (new ProcessIdentity(Int(f[0]), long.Parse(f[1], CultureInfo.InvariantCulture)),
            new ProcessIdentity(Int(f[2]), long.Parse(f[3], CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// eth0's IPv4 address (with its prefix) and gateway as the container got them: the switch's lease (or the -4
    /// it granted) while the container runs, kept in RUN/ID/network since a lease ends with its port; else what -4
    /// asked for, or nothing.
    /// </summary>
    public (string? Address, string? Gateway) Network()
    {
        // Most containers have no lease: ps asks for each, so the common case costs no exception.
        if (File.Exists(NetworkFile))
        {
            try
            {
                var values = KeyValues(File.ReadAllLines(NetworkFile));
                return (values.GetValueOrDefault("ipv4"), values.GetValueOrDefault("gateway"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { }
        }
        return (Spec.Address is { } a ? $"{a.Address}/{a.Prefix}" : null, Spec.Gateway?.ToString());
    }

    /// <summary>Keeps what the switch granted (<see cref="Network"/>).</summary>
    public void SaveNetwork(NetnsGrant grant)
    {
        if (grant.Address is not { } a) return;
        var text = $"ipv4={a.Address}/{a.Prefix}\n" + (grant.Gateway is { } g ? $"gateway={g}\n" : "");
        AtomicFile.Write(NetworkFile, text);
    }

    public void SavePids(ProcessIdentity container, ProcessIdentity monitor) =>
        AtomicFile.Write(PidsFile, $"{container.Pid} {container.StartTime} {monitor.Pid} {monitor.StartTime}\n");

    /// <summary>The status the monitor recorded, and when; null while none is.</summary>
    internal (int? Code, DateTime At)? ReadExit()
    {
        if (SmallFile.ReadIfExists(ExitFile) is not { } text) return null;
        return (int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var code) ? code : null, File.GetLastWriteTimeUtc(ExitFile));
    }

    internal static Dictionary<string, string> KeyValues(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>();
        foreach (var line in lines)
            if (line.IndexOf('=') is > 0 and var eq) values[line[..eq]] = line[(eq + 1)..];
        return values;
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static string Ms(DateTime t) => new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTime? Time(string? ms) =>
        long.TryParse(ms, CultureInfo.InvariantCulture, out var v) ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime : null;
}

/// <summary>created, running (with the first process's PID), or exited with a status (null: unknown) at a time, and whether the OOM killer ended it.</summary>
public readonly record struct ContainerStatus(ContainerStatus.Phase State, int? ExitCode, DateTime? Finished, int? Pid)
{
    public bool OomKilled { get; init; }

    public enum Phase { Created, Running, Exited }
}
