using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>A test of the v1 devices controller itself: needs root and the controller mounted; skipped, loudly, elsewhere.</summary>
public sealed class V1DevicesFactAttribute : FactAttribute
{
    public V1DevicesFactAttribute() => Skip = V1DevicesTheoryAttribute.Missing();
}

/// <summary>The data-driven form of <see cref="V1DevicesFactAttribute"/>.</summary>
public sealed class V1DevicesTheoryAttribute : TheoryAttribute
{
    public V1DevicesTheoryAttribute() => Skip = Missing();

    internal static string? Missing() =>
        !RootFactAttribute.IsRoot ? "needs root: run the tests with sudo"
        : !CgroupHost.Detect().V1.ContainsKey("devices") ? "needs the cgroup v1 devices controller, which this host does not mount"
        : null;
}
