using System.Globalization;

namespace Containet.Native;

/// <summary>
/// The files the .NET runtime keeps in the temp folder for its debugger and diagnostics, named by PID and the
/// process's start time: two FIFOs and a socket. The runtime removes them when it shuts down; a process that
/// execs another program (containode handing its wait to containet-wait) never does, and left one set per
/// container behind.
/// </summary>
public static class RuntimeFiles
{
    public static IReadOnlyList<string> OfThisProcess()
    {
        // Field 22 of /proc/self/stat, counted after the command name, which may itself hold spaces.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + fields[19];
        var temp = Path.GetTempPath();
        return [temp + "clr-debug-pipe-" + id + "-in", temp + "clr-debug-pipe-" + id + "-out", temp + "dotnet-diagnostic-" + id + "-socket"];
    }

    /// <summary>Removes them; for a process about to exec, which will not need them again.</summary>
    public static void Remove()
    {
        try
        {
            foreach (var path in OfThisProcess()) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Litter at worst; never a reason not to hand over.
        }
    }
}
