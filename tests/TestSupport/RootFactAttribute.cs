using Xunit;

namespace Containet.TestSupport;

/// <summary>An integration test that needs root (namespaces, TAPs, mounts). CI runs as root; elsewhere it is skipped, loudly.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public static bool IsRoot => Environment.UserName == "root";

    public RootFactAttribute()
    {
        if (!IsRoot) Skip = "needs root: run the tests with sudo";
    }
}
