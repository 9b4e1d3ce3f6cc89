using Containet.Native;

namespace Containode.Cli;

/// <summary>rm and prune: a container's every trace (state, default TOP, logs, run directory, cgroup, name).</summary>
public static class RemoveCommands
{
    public static readonly CliOption Force = new("--force", 'f', null, "kill a running container first");

    public static int Remove(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a container to remove");
        var force = parsed.Has(Force);
        return StopCommands.ForEach(parsed.Operands, name => RemoveOne(Containers.Store.Resolve(name), force));
    }

    public static int Prune(ArgParser.Result parsed)
    {
        foreach (var record in Containers.Store.List().ToList())
        {
            if (record.Status().State == ContainerStatus.Phase.Running) continue;
            RemoveOne(record, force: false);
            Posix.WriteOutput(record.Id);
        }
        return 0;
    }

    public static void RemoveOne(ContainerRecord record, bool force)
    {
        if (record.Status().State == ContainerStatus.Phase.Running)
        {
            if (!force) throw new LaunchException("it is running: stop it first, or remove it with -f");
            StopCommands.StopOne(record, TimeSpan.Zero);
            if (record.Status().State == ContainerStatus.Phase.Running) throw new LaunchException("it is still running after SIGKILL");
        }
        // A monitor killed before its clean-up left its run directory: the clean-up it saved runs here.
        if (File.Exists(record.CleanUpFile))
            ExitSteps.FromSaved(File.ReadAllText(record.CleanUpFile).Split('\0')).Run();
        if (Directory.Exists(record.Run)) Directory.Delete(record.Run, recursive: true);
        Containers.Store.Remove(record);
    }
}
