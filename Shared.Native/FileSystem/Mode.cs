namespace Containet.Native;

/// <summary>
/// Permission bits by their octal names, each written in binary in groups of rwx (owner, group, others), so a
/// mode reads as ls shows it rather than as hex with an octal comment; a fourth group in front holds setuid,
/// setgid and sticky. The one way the code writes a mode: cast to UnixFileMode where .NET wants one.
/// </summary>
public static class Mode
{
    public const uint O444 = 0b100_100_100, O600 = 0b110_000_000, O644 = 0b110_100_100, O660 = 0b110_110_000,
        O666 = 0b110_110_110, O700 = 0b111_000_000, O755 = 0b111_101_101, O777 = 0b111_111_111;

    /// <summary>rwx for all, and sticky: only a file's owner may remove it (/tmp, /dev/shm).</summary>
    public const uint O1777 = 0b001_111_111_111;
}
