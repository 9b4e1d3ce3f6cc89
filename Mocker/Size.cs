namespace Mocker;

/// <summary>Byte counts as people read them.</summary>
public static class Size
{
    public static string Format(long bytes) => bytes switch
    {
        < 0 => "?",
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} kB",
        < 1 << 30 => $"{bytes / (1024.0 * 1024):0.0} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GB",
    };
}
