using Containet.Native;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>errno values print by their C names, whichever the program met.</summary>
public sealed class ErrnoNameTests
{
    [Fact]
    public void Every_linux_errno_has_its_symbolic_name()
    {
        Assert.Equal("ENETUNREACH", Errno.Name(101));
        Assert.Equal("EHWPOISON", Errno.Name(133));
        for (var errno = 1; errno <= 133; errno++)
        {
            // 41 and 58 are holes in Linux's numbering.
            if (errno is 41 or 58) continue;
            Assert.Matches("^E[A-Z0-9]+$", Errno.Name(errno));
        }
    }

    [Fact]
    public void An_unknown_number_says_it_is_an_errno()
    {
        Assert.Equal("errno 4242", Errno.Name(4242));
        Assert.Equal("errno -1", Errno.Name(-1));
    }

    [Fact]
    public void A_native_error_reads_name_and_description()
    {
        var e = new NativeException(Errno.ENETUNREACH, "connect", "10.0.0.1");
        Assert.Equal("connect 10.0.0.1: ENETUNREACH (Network is unreachable)", e.Message);
    }
}
