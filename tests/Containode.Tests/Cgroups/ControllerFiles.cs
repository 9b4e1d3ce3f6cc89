using Containet.TestSupport;
using Containode.Cgroups;

namespace Containode.Tests.Cgroups;

/// <summary>One cgroup directory of a fake cgroupfs: the control files a controller's kernel side would have made, empty, and what was written into them.</summary>
internal sealed class ControllerFiles : IDisposable
{
    private readonly TempDir dir = new("containet-test-controller");

    public string Path => dir.Path;

    public ControllerFiles(params string[] files) => FakeCgroupFs.Touch(dir.Path, files);

    /// <summary>What the file holds: every value written, each with its newline; "" when nothing was.</summary>
    public string this[string file] => File.ReadAllText(dir.Combine(file));

    public static CgroupSettings With(ResourceLimits resources) => new(DeviceRules.Default) { Resources = resources };

    public void Dispose() => dir.Dispose();
}
