namespace Containet.TestSupport;

/// <summary>Short names that do not collide between parallel tests or repeated runs.</summary>
public static class Unique
{
    private static int counter;

    /// <summary>At most 12 characters, so that "t" + name still fits IFNAMSIZ.</summary>
    public static string Name() =>
        $"{Environment.ProcessId % 100000:x}{Interlocked.Increment(ref counter):x}{Random.Shared.Next(0x1000):x3}";
}
