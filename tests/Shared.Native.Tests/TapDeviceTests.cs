using System.Net;
using Containet.Native;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>Real TAPs, made in namespaces the tests create.</summary>
public sealed class TapDeviceTests
{
    [RootFact]
    public void Query_tells_every_framing_apart()
    {
        using var ns = new NetNs("ctnq");
        using var nsFd = NetNamespace.Open(ns.Name);
        foreach (var flags in new[] { TapFlags.None, TapFlags.NoPacketInfo, TapFlags.VnetHeader, TapFlags.NoPacketInfo | TapFlags.VnetHeader })
        {
            using var tap = TapDevice.CreateIn(nsFd, "q" + (int)flags, flags);
            Assert.Equal(("q" + (int)flags, flags), TapDevice.Query(tap.Handle));
        }
    }

    [RootFact]
    public void CreateIn_puts_the_device_in_the_namespace_configured_and_it_dies_with_it()
    {
        var ns = new NetNs("ctnt");
        TapDevice? tap = null;
        try
        {
            using var nsFd = NetNamespace.Open(ns.Name);
            tap = TapDevice.CreateIn(nsFd, "eth0", TapFlags.NoPacketInfo | TapFlags.VnetHeader);
            NetNamespace.Run(nsFd, () =>
            {
                Netlink.SetMtu("eth0", 9000);
                Netlink.SetMac("eth0", [0x02, 0, 0, 0, 0, 0x42]);
                Netlink.AddAddress("eth0", IPAddress.Parse("10.86.0.1"), 24);
                Netlink.SetLinkUp("eth0");
                Netlink.AddDefaultRoute(IPAddress.Parse("10.86.0.254"));
                return 0;
            });

            var link = ns.Exec("ip", "-o", "addr", "show", "eth0").EnsureSuccess().Stdout;
            Assert.Contains("10.86.0.1/24", link);
            Assert.Contains("mtu 9000", ns.Exec("ip", "-o", "link", "show", "eth0").Stdout);
            Assert.Contains("02:00:00:00:00:42", ns.Exec("ip", "-o", "link", "show", "eth0").Stdout);
            Assert.Contains("default via 10.86.0.254", ns.Exec("ip", "route").Stdout);
        }
        finally
        {
            ns.Dispose();
        }

        var buffer = new byte[2048];
        Eventually.True(() => FdIo.Read(tap!.Handle, buffer) == -Errno.EBADFD, "the TAP to report EBADFD once its namespace is gone");
        tap!.Dispose();
    }

    [RootFact]
    public void Netlink_errors_carry_errno_and_the_interface()
    {
        using var ns = new NetNs("ctne");
        var e = Assert.Throws<NativeException>(() => NetNamespace.Run(ns.Name, () => { Netlink.SetMtu("nosuch0", 1500); return 0; }));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Contains("nosuch0", e.Message);
    }
}
