using Containet.Native;
using Containode.Remote.Api;

namespace Containode.Remote.Serve;

/// <summary>
/// A job's status as the API reports it, from its container's record: created, running, exited, or stopped (by
/// `stop` or `kill`); the signal that ended it (a status of 128 + N); and whether the kernel's OOM killer did
/// (containet-wait marks it, from the container's cgroup, before removing the cgroup).
/// </summary>
public static class JobStates
{
    public static JobStatus Of(ContainerRecord record, JobOwner owner)
    {
        var now = record.Status();
        // The monitor records the status, then cleans up: the job has ended from the moment the status is there.
        if (now.State == ContainerStatus.Phase.Running && record.ReadExit() is { } exit)
        {
            // The OOM mark comes with the clean-up, just after the status: a SIGKILL waits for it (briefly) to be judged.
            for (var waited = 0; exit.Code == ExitStatus.Of(Signal.Kill) && waited < 2000 && record.Status().State == ContainerStatus.Phase.Running; waited += 10)
                Thread.Sleep(10);
            now = new ContainerStatus(ContainerStatus.Phase.Exited, exit.Code, exit.At, null);
        }
        var status = new JobStatus
        {
            Id = record.Id,
            Name = owner.Name,
            Owner = owner.Owner,
            CreatedUnixMs = new DateTimeOffset(record.Created, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            Pid = now.Pid ?? 0,
        };
        status.Command.AddRange(record.Spec.Command);
        status.State = now.State switch
        {
            ContainerStatus.Phase.Running => JobStatus.Types.State.Running,
            ContainerStatus.Phase.Created => JobStatus.Types.State.Created,
            _ => File.Exists(record.StopFile) ? JobStatus.Types.State.Stopped : JobStatus.Types.State.Exited,
        };
        if (now.Finished is { } finished) status.FinishedUnixMs = new DateTimeOffset(finished, TimeSpan.Zero).ToUnixTimeMilliseconds();
        if (now.ExitCode is { } code)
        {
            status.HasExitCode = true;
            status.ExitCode = code;
            if (ExitStatus.SignalOf(code) is { } signal) status.Signal = (int)signal;
            status.OomKilled = code == ExitStatus.Of(Signal.Kill) && File.Exists(record.OomFile);
        }
        return status;
    }
}
