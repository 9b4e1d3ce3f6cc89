namespace Containet.Native;

/// <summary>
/// Permission bits by their octal names, each written in binary in groups of rwx (owner, group, others), so a
/// mode reads as ls shows it rather than as hex with an octal comment.
/// </summary>
public static class Mode
{
    public const uint O444 = 0b100_100_100, O600 = 0b110_000_000, O644 = 0b110_100_100, O660 = 0b110_110_000,
        O755 = 0b111_101_101;
}
