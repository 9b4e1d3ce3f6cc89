using Containet.Native;
using Containet.TestSupport;
using Containode.Cgroups;
using Xunit;

namespace Containode.Tests.Cgroups;

/// <summary>Device rules: their v1 text, what they accept, the container's defaults, and what a list of them adds up to.</summary>
public sealed class DeviceRuleTests
{
    private static DeviceRule Char(uint? major, uint? minor, string access, bool allow = true) =>
        new(DeviceType.Char, major, minor, DeviceRule.ParseAccess(access), allow);

    [Fact]
    public void Rules_read_as_v1_writes_them()
    {
        Assert.Equal("c 1:3 rwm", Char(1, 3, "mwr").ToString());
        Assert.Equal("c 136:* rw", Char(136, null, "rw").ToString());
        Assert.Equal("b *:* m", new DeviceRule(DeviceType.Block, null, null, DeviceAccess.Mknod).ToString());
        Assert.Equal("a *:* rwm", DeviceRule.AllowAll.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("rwx")]
    [InlineData("R")]
    [InlineData("r w")]
    public void Access_is_some_of_r_w_and_m(string text) => Assert.Throws<FormatException>(() => DeviceRule.ParseAccess(text));

    [Fact]
    public void Rules_out_of_the_kernels_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Char(4096, 0, "r"));
        Assert.Throws<ArgumentException>(() => Char(1, 0x100000, "r"));
        Assert.Throws<ArgumentException>(() => new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.None));
        Assert.Throws<ArgumentException>(() => new DeviceRule(DeviceType.Char, 1, 3, (DeviceAccess)8));
        Assert.Throws<ArgumentException>(() => new DeviceRule(DeviceType.All, 1, 3, DeviceAccess.All));
        Assert.Throws<ArgumentException>(() => new DeviceRule(DeviceType.All, null, null, DeviceAccess.Read));
        Assert.Equal("c 4095:1048575 r", Char(4095, 0xfffff, "r").ToString());
    }

    [Fact]
    public void A_container_may_make_any_node_but_open_only_those_containode_makes()
    {
        Assert.Equal(
        [
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm",
            "c 136:* rwm",
        ], DeviceRules.Default.Select(r => r.ToString()));
        Assert.All(DeviceRules.Default, r => Assert.True(r.Allow));
    }

    [RootFact]
    public void Privileged_allows_every_device_and_device_adds_its_node_with_its_access()
    {
        using var dir = new TempDir("containet-test-device");
        FileNodes.MakeNode(dir.Combine("disk"), FileNodes.Kind.BlockDevice, Mode.O600, 7, 0);
        DeviceNodes.Node[] nodes = [.. DeviceNodes.Standard, DeviceNodes.Parse("/dev/net/tun:rw"), DeviceNodes.Parse(dir.Combine("disk") + ":/dev/disk:r")];

        Assert.Equal([DeviceRule.AllowAll], DeviceRules.For(privileged: true, nodes));
        var rules = DeviceRules.For(privileged: false, nodes).Select(r => r.ToString()).ToArray();
        Assert.Equal([.. DeviceRules.Default.Select(r => r.ToString()).SkipLast(2), "c 10:200 rw", "b 7:0 r", "c 5:2 rwm", "c 136:* rwm"], rules);
    }

    public static TheoryData<string, DeviceRule[], bool, string[]> Folds() => new()
    {
        { "nothing allows nothing", [], false, [] },
        { "same numbers add up", [Char(1, 3, "r"), Char(1, 3, "w")], false, ["c 1:3 rw"] },
        { "a deny takes access away", [Char(1, 3, "rwm"), Char(1, 3, "w", allow: false)], false, ["c 1:3 rm"] },
        { "a deny of all of it drops the exception", [Char(1, 3, "r"), Char(1, 5, "r"), Char(1, 3, "rw", allow: false)], false, ["c 1:5 r"] },
        { "a deny only matches the same numbers", [Char(1, null, "rwm"), Char(1, 3, "rwm", allow: false)], false, ["c 1:* rwm"] },
        { "allow all drops what came before", [Char(1, 3, "r"), DeviceRule.AllowAll], true, [] },
        { "denies after allow all are exceptions", [DeviceRule.AllowAll, Char(1, 11, "r", allow: false), Char(1, 11, "w", allow: false)], true, ["c 1:11 rw"] },
        { "an allow after allow all takes a deny back", [DeviceRule.AllowAll, Char(1, 11, "rw", allow: false), Char(1, 11, "r")], true, ["c 1:11 w"] },
        { "deny all after allow all starts over", [DeviceRule.AllowAll, Char(1, 11, "r", allow: false), new DeviceRule(DeviceType.All, null, null, DeviceAccess.All, allow: false), Char(1, 3, "r")], false, ["c 1:3 r"] },
    };

    [Theory]
    [MemberData(nameof(Folds))]
    public void Rules_add_up_as_the_v1_controller_keeps_them(string why, DeviceRule[] rules, bool defaultAllow, string[] exceptions)
    {
        var table = DeviceExceptions.Of(rules);

        Assert.True(defaultAllow == table.DefaultAllow, why);
        Assert.Equal(exceptions, table.Exceptions.Select(e => e.ToString()));
        Assert.All(table.Exceptions, e => Assert.Equal(!defaultAllow, e.Allow));
    }
}
