namespace Containet.TestSupport;

/// <summary>Waits on a condition with a deadline instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static void True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            Thread.Sleep(10);
        }
    }
}
