using System.Diagnostics;

namespace Containode.Remote.Tests;

/// <summary>Jobs' lives over the API: stop and kill with their signal, the OOM killer, the disk limit, bad requests.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class LifecycleTests(BusyboxRoot root)
{
    private static readonly string Disk = BlockDevices.DiskOf(Path.GetTempPath()).Node;

    [RootFact]
    public void A_job_runs_under_a_monitor_that_is_not_the_servers_child()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var job = alice.Shell("exec sleep 1000");
        alice.Running(job.Id);

        // The server makes and starts the job itself; its monitor forks away from it, so no job's end leaves the
        // server a zombie to collect, and stopping the server stops no job.
        var children = Run.Command("pgrep", "-P", node.ServerPid.ToString(System.Globalization.CultureInfo.InvariantCulture)).Stdout.Trim();

        Assert.Empty(children);
        Assert.Equal(JobStatus.Types.State.Running, alice.Status(new JobRef { Id = job.Id }).State);
    }

    [RootFact]
    public void Stop_ends_the_job_and_its_status_says_stopped_with_the_signal_that_ended_it()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var job = alice.Shell("echo up; exec sleep 1000");
        alice.Running(job.Id);

        // sleep as PID 1 ignores SIGTERM: the stop's SIGKILL after one second ends it.
        var stopped = alice.Stop(new StopRequest { Id = job.Id, TimeoutSeconds = 1 });

        Assert.Equal(JobStatus.Types.State.Stopped, stopped.State);
        Assert.Equal(9, stopped.Signal);
        Assert.Equal(137, stopped.ExitCode);
        Assert.False(stopped.OomKilled);
    }

    [RootFact]
    public void Kill_sends_the_signal_it_is_given()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var job = alice.Shell("trap 'exit 42' USR1; echo up; while :; do sleep 0.05; done");
        alice.Running(job.Id);

        alice.Kill(new KillRequest { Id = job.Id, Signal = "USR1" });

        Assert.Equal(42, alice.Ended(job.Id).ExitCode);
    }

    [RootFact]
    public void A_job_past_its_memory_limit_is_reported_oom_killed()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        // tmpfs pages are charged to the job's cgroup and cannot be reclaimed without swap.
        var job = alice.Shell("dd if=/dev/zero of=/dev/shm/f bs=1M count=100", r => r.MemoryMib = 32);
        var ended = alice.Ended(job.Id);

        Assert.True(ended.OomKilled, ended.ToString());
        Assert.Equal(137, ended.ExitCode);
        var within = alice.Ended(alice.Shell("dd if=/dev/zero of=/dev/shm/f bs=1M count=4", r => r.MemoryMib = 32).Id);
        Assert.Equal(0, within.ExitCode);
        Assert.False(within.OomKilled);
    }

    [RootFact]
    public void The_disk_write_limit_holds()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        var clock = Stopwatch.StartNew();
        var job = alice.Shell("dd if=/dev/zero of=/f bs=1M count=12 oflag=direct", r => r.DeviceWrite.Add(new DeviceRate { Device = Disk, MbPerSecond = 4 }));
        var ended = alice.Ended(job.Id, TimeSpan.FromSeconds(60));
        clock.Stop();

        Assert.Equal(0, ended.ExitCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"12 MiB at 4 MiB/s took {clock.Elapsed}");
    }

    [RootFact]
    public void Bad_requests_are_invalid_arguments_and_make_nothing()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");

        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Create(new CreateRequest { Root = "busybox" })));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.MemoryMib = -1)));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.CpuMillicores = -5)));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.DeviceWrite.Add(new DeviceRate { Device = Disk, MbPerSecond = -1 }))));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.DeviceRead.Add(new DeviceRate { Device = "/etc/../dev/sda", MbPerSecond = 1 }))));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.Root = "/")));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Shell("true", r => r.Env.Add("A=1\nroot=/"))));
        Assert.Equal(StatusCode.InvalidArgument, JobCalls.Refusal(() => alice.Create(new CreateRequest { Root = "busybox", Command = { Enumerable.Repeat("x", 300) } })));

        Assert.Empty(alice.List(new ListRequest { All = true }).Jobs);
    }
}
