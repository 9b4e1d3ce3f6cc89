using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>TestSupport's ChildProcess: what a test starts is ended and reaped however the test ends.</summary>
public sealed class ChildProcessTests
{
    private static bool Gone(int pid) => !Directory.Exists($"/proc/{pid}");

    [Fact]
    public void A_failed_assertion_does_not_leave_the_process_running()
    {
        var pid = 0;
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
        {
            using var sleeper = ChildProcess.Start("sleep", ["60"]);
            pid = sleeper.Id;
            Assert.Fail("the test fails while the process runs");
        });

        Assert.True(pid > 0 && Gone(pid), $"sleep ({pid}) must be ended and reaped");
    }

    [Fact]
    public void A_process_that_ignores_sigterm_gets_sigkill_after_the_grace_period()
    {
        using var stubborn = ChildProcess.Start("/bin/sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]);
        Assert.Equal("ready", stubborn.StandardOutput.ReadLine());

        Assert.Equal(ExitStatus.Of(Signal.Kill), stubborn.Stop(TimeSpan.FromMilliseconds(300)));
        Assert.True(Gone(stubborn.Id));
    }

    [Fact]
    public void Collected_output_is_all_there_once_it_has_exited()
    {
        using var talker = ChildProcess.Start("/bin/sh", ["-c", "seq 1 2000; echo oops >&2; exit 3"], collect: true);

        Assert.True(talker.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, talker.ExitCode);
        Assert.EndsWith("2000\n", talker.Stdout, StringComparison.Ordinal);
        Assert.Equal("oops\n", talker.Stderr);
    }
}
