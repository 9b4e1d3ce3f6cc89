using Containet.Native;

namespace Containode;

/// <summary>
/// Where <c>containode stats</c> finds a running container's usage, kept in its run directory (RUN/stats) from
/// its start: the container's cgroup directory per controller, and the switch socket its eth0 is a port of. One
/// "KEY VALUE" line each; the file goes with the run directory when the container ends.
/// </summary>
public sealed record StatsSources(string Identity, IReadOnlyDictionary<string, string> Cgroups, string? Switch)
{
    public const string FileName = "stats";
    private const string SwitchKey = "switch";

    public void Write(string runDirectory)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (controller, directory) in Cgroups) Line(text, $"{controller} {directory}");
        if (Switch is not null) Line(text, $"{SwitchKey} {Path.GetFullPath(Switch)}");
        SmallFile.Write(Path.Combine(runDirectory, FileName), text.ToString());
    }

    /// <summary>A line; one with a newline in it (a path can hold one) is left out, since it would read back as two.</summary>
    private static void Line(System.Text.StringBuilder text, string line)
    {
        if (!line.Contains('\n')) text.Append(line).Append('\n');
    }

    /// <summary>The sources of a running container; null when no container of that name runs.</summary>
    public static StatsSources? Read(string identity)
    {
        if (new ContainerStore(StateDirs.Default).Find(identity) is not { } record || record.Status().State != ContainerStatus.Phase.Running) return null;
        var file = Path.Combine(record.Run, FileName);
        if (!File.Exists(file)) return null;
        var cgroups = new Dictionary<string, string>();
        string? socket = null;
        foreach (var line in File.ReadLines(file))
        {
            var space = line.IndexOf(' ');
            if (space <= 0) continue;
            if (line[..space] == SwitchKey) socket = line[(space + 1)..];
            else cgroups[line[..space]] = line[(space + 1)..];
        }
        return new StatsSources(identity, cgroups, socket);
    }

    /// <summary>The names of the running containers, sorted.</summary>
    public static IReadOnlyList<string> Running() =>
        [.. new ContainerStore(StateDirs.Default).List().Where(r => r.Status().State == ContainerStatus.Phase.Running).Select(r => r.Name).Order(StringComparer.Ordinal)];
}
