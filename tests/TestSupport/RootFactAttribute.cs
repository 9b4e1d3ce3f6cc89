using Xunit;

namespace Containet.TestSupport;

/// <summary>An integration test that needs root (namespaces, TAPs, mounts). CI runs as root; elsewhere it is skipped, loudly.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
            Skip = "needs root: run the tests with sudo";
    }
}
