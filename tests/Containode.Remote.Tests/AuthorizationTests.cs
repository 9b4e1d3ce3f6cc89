namespace Containode.Remote.Tests;

/// <summary>Identities: a client's jobs are its own (another's are not found and stay untouched), an administrator's are all, and methods can be allowed per identity.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class AuthorizationTests(BusyboxRoot root)
{
    [RootFact]
    public async Task Bob_can_neither_see_read_stop_nor_remove_alices_job_and_the_admin_can()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        var bob = node.Client("bob");
        var ops = node.Client("ops");
        var job = alice.Shell("echo secret; exec sleep 1000", r => r.Name = "mine");
        alice.Running(job.Id);

        Assert.Empty(bob.List(new ListRequest { All = true }).Jobs);
        foreach (var reference in new[] { job.Id, job.Id[..6], "mine" })
        {
            Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => bob.Status(new JobRef { Id = reference })));
            Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => bob.Stop(new StopRequest { Id = reference, TimeoutSeconds = 1 })));
            Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => bob.Kill(new KillRequest { Id = reference })));
            Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => bob.Remove(new RemoveRequest { Id = reference, Force = true })));
            Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => bob.Stats(new JobRef { Id = reference })));
            var read = await Assert.ThrowsAsync<RpcException>(() => bob.Output(job.Id, follow: false));
            Assert.Equal(StatusCode.NotFound, read.StatusCode);
        }
        Assert.Equal(JobStatus.Types.State.Running, alice.Status(new JobRef { Id = job.Id }).State);

        Assert.Equal(new[] { job.Id }, ops.List(new ListRequest()).Jobs.Select(j => j.Id));
        Assert.Equal("alice", ops.Status(new JobRef { Id = job.Id }).Owner);
        Assert.Equal("secret\n", (await ops.Output(job.Id, follow: false)).Stdout);
        Assert.Equal(JobStatus.Types.State.Stopped, ops.Stop(new StopRequest { Id = job.Id, TimeoutSeconds = 1 }).State);
        ops.Remove(new RemoveRequest { Id = job.Id });
        Assert.Equal(StatusCode.NotFound, JobCalls.Refusal(() => alice.Status(new JobRef { Id = job.Id })));
        Assert.Contains("ops Remove " + job.Id + " OK", node.Log);
        Assert.Contains("bob Status " + job.Id + " NotFound", node.Log);
        Assert.DoesNotContain("secret", node.Log);
    }

    [RootFact]
    public void An_identity_calls_only_the_methods_it_is_allowed()
    {
        using var node = new RemoteNode(root.Path, "--allow", "bob=List,Status");
        var bob = node.Client("bob");

        Assert.Equal(StatusCode.PermissionDenied, JobCalls.Refusal(() => bob.Shell("true")));
        Assert.Empty(bob.List(new ListRequest { All = true }).Jobs);
        Assert.Empty(node.Client("ops").List(new ListRequest { All = true }).Jobs);
        Assert.Contains("bob Create - PermissionDenied", node.Log);
    }

    [RootFact]
    public void An_identity_has_at_most_its_number_of_jobs()
    {
        using var node = new RemoteNode(root.Path, "--max-jobs", "2");
        var alice = node.Client("alice");
        alice.Shell("true");
        var second = alice.Shell("true");

        Assert.Equal(StatusCode.ResourceExhausted, JobCalls.Refusal(() => alice.Shell("true")));
        node.Client("bob").Shell("true");
        alice.Ended(second.Id);
        alice.Remove(new RemoveRequest { Id = second.Id });
        alice.Shell("true");
    }
}
