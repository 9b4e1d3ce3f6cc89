using Containet.Native;
using Containet.Restart;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

public sealed class StateFileTests
{
    [Fact]
    public void Ports_come_back_as_they_were_saved_in_a_file_only_its_owner_reads()
    {
        using var dir = new TempDir();
        var path = dir.Combine("containet.state");
        KeptPort[] ports =
        [
            new("n1", "eth0", "secret", new ProcessIdentity(42, 123456)),
            new("n2", "eth0", null, null),
        ];

        StateFile.Save(path, ports);

        Assert.Equal(ports, StateFile.Load(path));
        Assert.Equal((UnixFileMode)Mode.O600, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".new"));
    }

    [Fact]
    public void No_file_is_no_ports_and_a_file_that_is_not_one_says_so()
    {
        using var dir = new TempDir();
        Assert.Empty(StateFile.Load(dir.Combine("missing")));
        File.WriteAllText(dir.Combine("bad"), """{"ports":[{"ifname":"eth0"}]}""");
        Assert.Contains("not a containet state file", Assert.Throws<InvalidDataException>(() => StateFile.Load(dir.Combine("bad"))).Message);
        File.WriteAllText(dir.Combine("torn"), """{"ports":[{"nodeid":""");
        Assert.Throws<InvalidDataException>(() => StateFile.Load(dir.Combine("torn")));
    }

    [Fact]
    public void A_process_is_known_by_its_pid_and_start_time()
    {
        var self = ProcessIdentity.Of(Environment.ProcessId);
        Assert.NotNull(self);
        Assert.True(self.Value.IsAlive);
        Assert.False((self.Value with { StartTime = self.Value.StartTime + 1 }).IsAlive, "a reused PID is another process");
        Assert.Null(ProcessIdentity.Of(0));
    }
}
