using Containode.Cgroups;
using Xunit;

namespace Containode.Tests;

public sealed class StatsReportTests
{
    private static readonly StatsRow Full = new("web", 12.346, new CgroupUsage(1, 50L << 20, 64L << 20, 3, 4096, 1L << 20, 0), 1536, 100);
    private static readonly StatsRow Bare = new("a", null, new CgroupUsage(null, null, null, null, null, null, null), null, null);

    [Fact]
    public void The_table_has_docker_stats_columns_aligned()
    {
        var lines = StatsReport.Table([Full, Bare]).Split('\n');

        Assert.Equal(string.Join("|", [
            "NAME   CPU %    MEM USAGE / LIMIT   MEM %    NET I/O           BLOCK I/O       PIDS",
            "web    12.35%   50 MiB / 64 MiB     78.13%   1.5 KiB / 100 B   4 KiB / 1 MiB   3",
            "a      --       -- / --             --       -- / --           -- / --         --",
        ]), string.Join("|", lines));
    }

    [Fact]
    public void Json_is_one_object_with_numbers_and_nulls()
    {
        Assert.Equal("""{"name":"web","cpu_percent":12.35,"memory_usage":52428800,"memory_limit":67108864,"memory_percent":78.13,"net_in":1536,"net_out":100,"block_read":4096,"block_write":1048576,"pids":3,"oom_kills":0}""",
            StatsReport.Json(Full));
        Assert.Equal("""{"name":"a","cpu_percent":null,"memory_usage":null,"memory_limit":null,"memory_percent":null,"net_in":null,"net_out":null,"block_read":null,"block_write":null,"pids":null,"oom_kills":null}""",
            StatsReport.Json(Bare));
    }

    [Fact]
    public void Names_are_escaped_in_json() => Assert.Contains("\"name\":\"a\\u0022b\"", StatsReport.Json(Bare with { Name = "a\"b" }));
}
