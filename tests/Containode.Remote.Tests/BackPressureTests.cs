namespace Containode.Remote.Tests;

/// <summary>Output is streamed from the log files at the reader's pace: a slow reader of a big job costs the server little memory.</summary>
[Collection(nameof(RemoteCollection))]
public sealed class BackPressureTests(BusyboxRoot root)
{
    private const long Size = 200_000_000;

    [RootFact]
    public async Task A_job_writing_200_MB_read_slowly_keeps_the_servers_memory_growth_under_50_MB()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        // Warm: the server's first stream allocates what every stream shares.
        await alice.Output(alice.Ended(alice.Shell("echo warm").Id).Id);
        var before = node.ResidentBytes();

        // Lines of 100 bytes, 2 million of them.
        var job = alice.Shell($"yes 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678 | head -c {Size}");
        using var call = alice.Output(new OutputRequest { Id = job.Id, Follow = true });
        long received = 0, peak = 0;
        var slowUntil = DateTime.UtcNow.AddSeconds(8);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            received += chunk.Data.Length;
            if (received % (4 << 20) < chunk.Data.Length)
            {
                peak = Math.Max(peak, node.ResidentBytes());
                // Slow for a while, as the job writes ahead, then at full speed to the end.
                if (DateTime.UtcNow < slowUntil) await Task.Delay(200);
            }
        }
        peak = Math.Max(peak, node.ResidentBytes());

        Assert.Equal(Size, received);
        Assert.True(peak - before < 50 << 20, $"the server grew by {(peak - before) >> 20} MiB");
    }
}
