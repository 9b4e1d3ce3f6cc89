using Xunit;

namespace Containode.Tests;

/// <summary>The command's environment: the base runc and Docker give, then -e entries in order.</summary>
public sealed class EnvironmentTests
{
    [Fact]
    public void E_entries_override_the_base_pass_host_values_on_and_skip_unset_ones()
    {
        Environment.SetEnvironmentVariable("CONTAINODE_TEST_PASSED_ON", "from host");
        var env = ContainerEnvironment.Build("box", [], ["HOME=/home/x", "NEW=1", "CONTAINODE_TEST_PASSED_ON", "CONTAINODE_TEST_UNSET", "NEW=2"]);

        Assert.Contains("HOME=/home/x", env);
        Assert.DoesNotContain("HOME=/root", env);
        Assert.Contains("HOSTNAME=box", env);
        Assert.Contains("container=containet", env);
        Assert.Contains("CONTAINODE_TEST_PASSED_ON=from host", env);
        Assert.DoesNotContain(env, e => e.StartsWith("CONTAINODE_TEST_UNSET", StringComparison.Ordinal));
        Assert.Equal(["NEW=2"], env.Where(e => e.StartsWith("NEW=", StringComparison.Ordinal)));
    }
}
