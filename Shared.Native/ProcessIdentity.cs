using System.Globalization;

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
            stat = File.ReadAllText($"/proc/{pid}/stat");
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
}
