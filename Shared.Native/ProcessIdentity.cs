using System.Globalization;
using System.Text.Json;

namespace Containet.Native;

/// <summary>
/// A process told apart from any later one that reuses its PID: the PID and its start time (clock ticks after
/// boot, /proc/PID/stat field 22), which an exec keeps, so containode and the containet-wait it becomes are one.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    /// <summary>The process with that PID now, or null if there is none (or none this process can see).</summary>
    public static ProcessIdentity? Of(int pid)
    {
        if (pid <= 0) return null;
        string stat;
        try
        {
            stat = SmallFile.Read($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name in parentheses may hold spaces and parentheses: the fields start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcessIdentity(pid, long.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    public bool IsAlive => Of(Pid) == this;

    /// <summary>Writes the members the state and lease files keep a launcher in.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteNumber("launcher_pid", Pid);
        w.WriteNumber("launcher_start", StartTime);
    }

    /// <summary>The launcher <see cref="WriteTo"/> wrote into <paramref name="e"/>, or null if there is none.</summary>
    public static ProcessIdentity? ReadFrom(JsonElement e) =>
        e.TryGetProperty("launcher_pid", out var pid) ? new ProcessIdentity(pid.GetInt32(), e.GetProperty("launcher_start").GetInt64()) : null;
}
