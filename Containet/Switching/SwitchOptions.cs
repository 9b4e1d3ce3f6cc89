namespace Containet.Switching;

/// <summary>The switch's tunables, as the command line sets them.</summary>
public sealed record SwitchOptions
{
    public TimeSpan MacAge { get; init; } = TimeSpan.FromSeconds(300);
    public int MaxMacs { get; init; } = 8192;
    /// <summary>How long a MAC must stay on its port before it may move (VDE2's defence against flapping).</summary>
    public TimeSpan MinMacMove { get; init; } = TimeSpan.FromMilliseconds(200);
    public int QueueBytes { get; init; } = 4 << 20;
    public int ReceiveLoops { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);
    public string? CapturePath { get; init; }
}
