using Containet.Native;

namespace Containode.Cli;

/// <summary>The verbs that start containers: the original form, run, create, start, start-all, and the monitor's own two.</summary>
public static class RunCommands
{
    /// <summary>containode [options] [--] COMMAND [ARGS...]: in the foreground, exactly as before there were verbs.</summary>
    public static int Original(string[] args)
    {
        var parsed = ArgParser.Parse(args, 0, SpecForms.Original, stopAtOperand: true);
        if (parsed.Has(SpecForms.Help))
        {
            Posix.WriteOutput(HelpText.Render("containode [options] [--] COMMAND [ARGS...]\n       containode VERB [options] ...",
                "Start COMMAND in a new container, its eth0 plugged into a containet switch; or manage containers with a verb.",
                SpecForms.Original, Verbs.Summary()));
            return 0;
        }
        if (parsed.Has(SpecForms.Version)) return VersionCommand.Run(parsed);
        var spec = SpecForms.Spec(parsed);
        spec.Command.AddRange(parsed.Operands);
        // A TOP named ROOT.SOMETHING names its container SOMETHING, as it always has.
        if (spec.Name is null && spec.Top is not null && spec.Root is not null)
        {
            spec.Name = Identity.FromTop(spec.Root, spec.Top);
            if (spec.Name is not null && Identity.Problem(spec.Name) is { } problem)
                throw new UsageException($"bad identity '{spec.Name}' (from TOP's name): {problem}; name it with -i");
        }
        SpecValidator.Check(spec);
        // The same name again is the same container again, with its TOP: as ROOT.ID always was.
        var record = spec.Name is not null && Containers.Store.Find(spec.Name) is { } existing ? Reuse(existing, spec) : Containers.Store.Create(spec);
        return Launcher.Run(record, new LaunchMode(Detached: false, SayTop: true));
    }

    private static ContainerRecord Reuse(ContainerRecord record, ContainerSpec spec)
    {
        if (record.Status().State == ContainerStatus.Phase.Running) throw new LaunchException($"a container named {record.Name} is already running: give this one another identity with -i");
        record.Spec = spec;
        record.Save();
        return record;
    }

    public static int Run(ArgParser.Result parsed)
    {
        var record = Create(parsed);
        if (!parsed.Has(SpecForms.Detach)) return Launcher.Run(record, LaunchMode.Foreground);
        Containers.StartDetached(record);
        Posix.WriteOutput(record.Id);
        return 0;
    }

    public static int CreateOnly(ArgParser.Result parsed)
    {
        Posix.WriteOutput(Create(parsed).Id);
        return 0;
    }

    /// <summary>run and create: [options] [IMAGE] [COMMAND [ARGS...]], IMAGE unless a root is given.</summary>
    internal static ContainerRecord Create(ArgParser.Result parsed)
    {
        var spec = SpecForms.Spec(parsed);
        var operands = parsed.Operands;
        if (spec.Root is null)
        {
            if (operands.Count == 0) throw new UsageException("give an image, or a root with -r");
            spec.Image = operands[0];
            spec.Command.AddRange(operands.Skip(1));
        }
        else spec.Command.AddRange(operands);
        SpecValidator.Check(spec);
        return Containers.Store.Create(spec, spec.Image is null ? null : ImageLaunch.Prepare(spec.Image));
    }

    public static int Start(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a container to start");
        var configs = ConfigDirectory.From(parsed);
        var failed = 0;
        foreach (var name in parsed.Operands)
        {
            try
            {
                StartOne(name, configs);
                Posix.WriteOutput(name);
            }
            catch (Exception e) when (Program.IsReported(e))
            {
                Posix.WriteError($"containode: {name}: {e.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Starts every configured container that is not running, and says what became of each.</summary>
    public static int StartAll(ArgParser.Result parsed)
    {
        var configs = ConfigDirectory.From(parsed);
        var failed = 0;
        foreach (var name in configs.Names())
        {
            try
            {
                if (Containers.Store.Find(name) is { } r && r.Status().State == ContainerStatus.Phase.Running)
                {
                    Posix.WriteOutput($"{name}: already running");
                    continue;
                }
                var record = StartOne(name, configs);
                Posix.WriteOutput($"{name}: started {record.ShortId}");
            }
            catch (Exception e) when (Program.IsReported(e))
            {
                Posix.WriteOutput($"{name}: failed: {e.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>A stopped or created container with its saved spec and TOP; the first time, the one its config file describes.</summary>
    private static ContainerRecord StartOne(string name, ConfigDirectory configs)
    {
        var record = Containers.Store.Find(name);
        if (record is null)
        {
            if (!Identity.IsValid(name)) throw new LaunchException($"no such container: {name}");
            var spec = ConfigFile.Parse(configs.FileOf(name));
            if (spec.Name is not null && spec.Name != name) throw new LaunchException($"{configs.FileOf(name)}: name={spec.Name}, but the file names {name}");
            spec.Name = name;
            SpecValidator.Check(spec);
            record = Containers.Store.Create(spec, spec.Image is null ? null : ImageLaunch.Prepare(spec.Image));
        }
        else if (record.Status().State == ContainerStatus.Phase.Running)
        {
            throw new LaunchException("already running");
        }
        File.Delete(record.StopFile);
        Containers.StartDetached(record);
        return record;
    }

    /// <summary>__monitor ID: the detached launch, in the monitor's own session; fd 3 takes the report.</summary>
    public static int Monitor(string id)
    {
        using var report = new SafeFd(3);
        FdIo.SetCloseOnExec(report);
        try
        {
            return Launcher.Run(Containers.Store.Resolve(id), new LaunchMode(Detached: true, Report: report));
        }
        catch (CommandFailedException e)
        {
            Report(report, e.Status, e.Message);
            return e.Status;
        }
        catch (Exception e) when (Program.IsReported(e))
        {
            Report(report, 1, e.Message);
            return 1;
        }
    }

    /// <summary>__restart ID STATUS: containet-wait's hand-back when a restart policy is set; starts the command again if it says so.</summary>
    public static int Restart(string id, int status)
    {
        var record = Containers.Store.Resolve(id);
        var policy = record.Spec.Restart;
        if (File.Exists(record.StopFile) || !policy.Restarts(status, record.Restarts)) return status;
        Thread.Sleep(RestartPolicy.Delay(record.Restarts));
        if (File.Exists(record.StopFile) || !Directory.Exists(record.Lib)) return status;
        record.Restarts++;
        record.SaveInfo();
        try
        {
            return Launcher.Run(record, new LaunchMode(Detached: true));
        }
        catch (Exception e) when (Program.IsReported(e) || e is CommandFailedException)
        {
            // No terminal is waiting for this start: its failure goes where `logs` shows it.
            File.AppendAllText(record.LogFile, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffff00Z} stderr F containode: restart {record.Restarts}: {e.Message}\n");
            return e is CommandFailedException c ? c.Status : 1;
        }
    }

    private static void Report(SafeFd report, int status, string message) =>
        FdIo.Write(report, System.Text.Encoding.UTF8.GetBytes($"{status} {message}\n"));
}
