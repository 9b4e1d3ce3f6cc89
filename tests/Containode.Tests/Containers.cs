using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>Runs bin/containode as a user would, and checks that a container left nothing behind.</summary>
internal static class Containers
{
    public static RunResult Run(params string[] args) =>
        Containet.TestSupport.Run.Command(Repo.Program("containode"), args, TimeSpan.FromSeconds(60));

    /// <summary>
    /// A container running in the background, for tests that talk to it while it runs; disposing it stops the
    /// launcher (SIGTERM, which it forwards, then SIGKILL).
    /// </summary>
    public static ChildProcess Start(params string[] args) => ChildProcess.Start(Repo.Program("containode"), args);

    /// <summary>The pid of the container's first process, found as the child of containode.</summary>
    public static int FirstProcess(ChildProcess launcher)
    {
        var pid = 0;
        Eventually.True(() =>
        {
            var children = $"/proc/{launcher.Id}/task/{launcher.Id}/children";
            var text = File.Exists(children) ? File.ReadAllText(children).Trim() : "";
            return text.Length > 0 && int.TryParse(text.Split(' ')[0], out pid);
        }, "the container's first process");
        return pid;
    }

    /// <summary>
    /// Waits until the container runs its command (so its network is plugged in, which happens before exec) and
    /// returns its first process. Before exec that process is still called containode; with --init the command
    /// is its child.
    /// </summary>
    public static int WaitUntilRunning(ChildProcess launcher)
    {
        var first = FirstProcess(launcher);
        Eventually.True(() => Execed(first) || Children(first).Any(Execed), "the container's command to start");
        return first;
    }

    /// <summary>A process's proportional set size in kB (0 once it is gone).</summary>
    public static long ProportionalSetKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool Execed(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim() != "containode"; }
        catch (IOException) { return false; }
    }

    private static int[] Children(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>What a container whose launcher was killed with SIGKILL leaves (its run dir, its cgroups): rm removes it.</summary>
    public static void RemoveLeftovers(string identity) =>
        Eventually.True(() => ContainodeState.IdOf(identity) is null || Run("rm", "-f", identity).ExitCode == 0, $"rm of {identity} to clean up");

    /// <summary>No mount of the container's remains, nor its run directory (its record stays until rm).</summary>
    public static void AssertNothingLeft(string identity)
    {
        var mounts = File.ReadAllText("/proc/mounts");
        Xunit.Assert.DoesNotContain(ContainodeState.Run, mounts);
        var id = ContainodeState.IdOf(identity);
        Xunit.Assert.False(id is not null && Directory.Exists(Path.Combine(ContainodeState.Run, id)), "the run dir must be removed");
    }
}
