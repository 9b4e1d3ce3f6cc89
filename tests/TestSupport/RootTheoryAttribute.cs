using Xunit;

namespace Containet.TestSupport;

/// <summary>A data-driven integration test that needs root; skipped, loudly, elsewhere.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootFactAttribute.IsRoot) Skip = "needs root: run the tests with sudo";
    }
}
