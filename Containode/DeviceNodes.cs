namespace Containode;

/// <summary>The device nodes every container's /dev gets, and the usual links beside them.</summary>
public static class DeviceNodes
{
    public readonly record struct Node(string Name, uint Major, uint Minor, uint Mode);

    public static readonly Node[] Standard =
    [
        new("null", 1, 3, 0x1b6),
        new("zero", 1, 5, 0x1b6),
        new("full", 1, 7, 0x1b6),
        new("random", 1, 8, 0x1b6),
        new("urandom", 1, 9, 0x1b6),
        new("tty", 5, 0, 0x1b6),
        new("console", 5, 1, 0x180),
    ];

    public static readonly (string Link, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ];
}
