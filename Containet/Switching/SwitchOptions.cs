namespace Containet.Switching;

/// <summary>The switch's tunables, as the command line sets them.</summary>
public sealed record SwitchOptions
{
    public TimeSpan MacAge { get; init; } = TimeSpan.FromSeconds(300);
    public int MaxMacs { get; init; } = 8192;
    /// <summary>How long a MAC must stay on its port before it may move (VDE2's defence against flapping).</summary>
    public TimeSpan MinMacMove { get; init; } = TimeSpan.FromMilliseconds(200);
    public int QueueBytes { get; init; } = 4 << 20;
    /// <summary>
    /// One loop on up to 2 cores: two ports that talk to each other on two loops put the data and its ACKs on
    /// different threads, and the cross-CPU wake-ups cost more than the second loop gains (bench/switch.sh).
    /// </summary>
    public int ReceiveLoops { get; init; } = Environment.ProcessorCount <= 2 ? 1 : Math.Min(Environment.ProcessorCount, 4);
    /// <summary>
    /// How long a loop keeps reading the ports that just moved frames before it sleeps in epoll_wait again: long
    /// enough for a reply to come back after a wake-up across CPUs, short enough that an idle switch sleeps
    /// (bench/switch.sh measures it).
    /// </summary>
    public TimeSpan PollBudget { get; init; } = TimeSpan.FromMicroseconds(50);
    public string? CapturePath { get; init; }
}
