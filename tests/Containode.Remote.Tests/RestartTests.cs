using Containet.Native;

namespace Containode.Remote.Tests;

/// <summary>The jobs are the node's, not the server's: a SIGTERM to the server leaves them running, and the next server knows them, their owners and their output.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class RestartTests(BusyboxRoot root)
{
    [RootFact]
    public async Task Restarting_the_server_keeps_the_jobs_their_owners_and_their_output()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var running = alice.Shell("echo before; exec sleep 1000", r => r.Name = "long");
        var exited = alice.Shell("echo finished; exit 7");
        alice.Ended(exited.Id);
        alice.Running(running.Id);
        var pid = alice.Status(new JobRef { Id = running.Id }).Pid;

        node.Restart();
        alice = node.Client("alice");

        Assert.True(Directory.Exists($"/proc/{pid}"), "the job's process outlived the server");
        var status = alice.Status(new JobRef { Id = "long" });
        Assert.Equal(JobStatus.Types.State.Running, status.State);
        Assert.Equal("alice", status.Owner);
        Assert.Equal(pid, status.Pid);
        Assert.Equal(7, alice.Status(new JobRef { Id = exited.Id }).ExitCode);
        Assert.Equal("before\n", (await alice.Output(running.Id, follow: false)).Stdout);
        Assert.Equal("finished\n", (await alice.Output(exited.Id, follow: false)).Stdout);
        Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => node.Client("bob").Status(new JobRef { Id = running.Id })));
        Assert.Equal(2, node.Client("ops").List(new ListRequest { All = true }).Jobs.Count);
        var owners = Directory.GetFiles(Path.Combine(node.Environment["CONTAINET_LIB_DIR"], "serve", "jobs"));
        Assert.All(owners, f => Assert.Equal((UnixFileMode)Mode.O600, File.GetUnixFileMode(f)));
    }
}
