namespace Mocker.Http;

/// <summary>
/// curl's --speed-limit and --speed-time: a connection that reads fewer than <see cref="BytesPerSecond"/> on
/// average over <see cref="Time"/>, waiting for an answer included, fails with a <see cref="SlowTransferException"/>,
/// so that a registry that drips or never answers cannot hold a pull for ever.
/// </summary>
public sealed record LowSpeed(long BytesPerSecond, TimeSpan Time)
{
    public static readonly LowSpeed Default = new(1024, TimeSpan.FromSeconds(30));

    public override string ToString() => $"under {ByteSize.FormatColumn(BytesPerSecond)}/s for {Time.TotalSeconds:0.#} s";
}

/// <summary>A transfer slower than the <see cref="LowSpeed"/> limit.</summary>
public sealed class SlowTransferException(string peer, LowSpeed limit) : IOException($"{peer} sent {limit}");
