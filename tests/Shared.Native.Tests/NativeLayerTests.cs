using System.Net;
using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

public sealed class NativeLayerTests
{
    [Fact]
    public void Errors_name_the_call_the_object_and_errno()
    {
        var e = Assert.Throws<NativeException>(() => UnixSocket.Connect("/nonexistent/dir/x.sock"));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.StartsWith("connect /nonexistent/dir/x.sock: ENOENT (", e.Message);
    }

    [RootFact]
    public void A_directory_marked_top_is_what_chattr_plus_T_makes_where_the_filesystem_has_the_flag()
    {
        using var dir = new TempDir("topdir");
        var before = Run.Command("lsattr", "-d", dir.Path);
        var marked = FileNodes.MarkTopDirectory(dir.Path);
        if (before.ExitCode != 0)
        {
            Assert.False(marked, "a filesystem without attributes cannot take the hint");
            return;
        }
        Assert.DoesNotContain("T", before.Stdout.Split(' ')[0]);
        Assert.True(marked);
        Assert.Contains("T", Run.Command("lsattr", "-d", dir.Path).EnsureSuccess().Stdout.Split(' ')[0]);
        Assert.True(FileNodes.MarkTopDirectory(dir.Path), "marking twice is fine");
    }

    [Fact]
    public void A_file_descriptor_travels_over_scm_rights()
    {
        using var dir = new TempDir();
        var (a, b) = UnixSocket.Pair();
        using (a)
        using (b)
        {
            var path = dir.Combine("f");
            File.WriteAllText(path, "hello");
            using var file = File.OpenHandle(path);
            using var fd = new SafeFd((int)file.DangerousGetHandle(), ownsHandle: false);
            FdPassing.Send(a, "{}"u8, fd);

            var buffer = new byte[16];
            var n = FdPassing.Receive(b, buffer, out var received);

            Assert.Equal(2, n);
            Assert.NotNull(received);
            using (received)
            {
                Assert.NotEqual(fd.Number, received!.Number);
                var text = new byte[5];
                Assert.Equal(5, FdIo.Read(received, text));
                Assert.Equal("hello"u8.ToArray(), text);
            }
        }
    }

    [Fact]
    public void Peer_credentials_name_this_process()
    {
        var (a, b) = UnixSocket.Pair();
        using (a)
        using (b)
            Assert.Equal(Environment.ProcessId, UnixSocket.PeerCredentials(a).Pid);
    }

    [Theory]
    [InlineData("10.0.0.2", "10.0.0.2", 8)]
    [InlineData("172.16.1.2", "172.16.1.2", 16)]
    [InlineData("192.168.1.2", "192.168.1.2", 24)]
    [InlineData("10.0.0.2/24", "10.0.0.2", 24)]
    [InlineData("fd00::2", "fd00::2", 64)]
    public void Addresses_default_their_mask_by_class(string text, string address, int prefix) =>
        Assert.Equal((IPAddress.Parse(address), prefix), Addressing.ParseCidr(text));

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1/x")]
    [InlineData("hello")]
    [InlineData("10..0.1")]
    [InlineData("10.0.0.1.5")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.+1")]
    public void Bad_addresses_are_refused(string text) =>
        Assert.Throws<FormatException>(() => Addressing.ParseCidr(text));

    [Fact]
    public void Addresses_and_macs_format_as_they_parse()
    {
        Assert.Equal("10.0.255.2", Addressing.ParseAddress("10.0.255.2").ToString());
        Assert.Equal("fd00::2", Addressing.ParseAddress("fd00::2").ToString());
        Assert.Equal("02:ab:00:ff:10:01", Addressing.FormatMac(Addressing.ParseMac("02:AB:00:ff:10:01")));
    }

    [Fact]
    public void Macs_parse_and_random_ones_are_local_unicast()
    {
        Assert.Equal(new byte[] { 2, 0xab, 0, 0, 0, 1 }, Addressing.ParseMac("02:ab:00:00:00:01"));
        Assert.Throws<FormatException>(() => Addressing.ParseMac("01:00:5e:00:00:01"));
        Assert.Throws<FormatException>(() => Addressing.ParseMac("02:ab"));
        var mac = Addressing.RandomMac();
        Assert.Equal(2, mac[0] & 3);
    }
}
