using System.Globalization;
using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>
/// A loop device backed by an unnamed file (O_TMPFILE) of a given size, and cleared automatically on its last
/// close (LO_FLAGS_AUTOCLEAR): once nothing has it open or mounted, the device is free again and the file, which
/// never had a name, is gone with it. However its owner ends, nothing is left on disk.
/// </summary>
public sealed unsafe class LoopDevice : IDisposable
{
    private readonly SafeFd device;

    /// <summary>/dev/loopN.</summary>
    public string Path { get; }

    private LoopDevice(string path, SafeFd device)
    {
        Path = path;
        this.device = device;
    }

    /// <summary>Attaches a new sparse file of <paramref name="size"/> bytes, made in <paramref name="directory"/>'s filesystem.</summary>
    public static LoopDevice AttachNewFile(string directory, long size)
    {
        using var file = SafeFd.Check(Libc.open(directory, Libc.O_TMPFILE | Libc.O_RDWR | Libc.O_CLOEXEC, (int)Mode.O600), "open O_TMPFILE", directory);
        NativeException.Check(Libc.ftruncate(file, size), "ftruncate", directory);
        using var control = SafeFd.Check(Libc.open("/dev/loop-control", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", "/dev/loop-control");
        // Another process may take the free device between the two calls: LOOP_CONFIGURE then says EBUSY, and the next one is asked for.
        for (var attempt = 0; ; attempt++)
        {
            var number = Libc.ioctl(control, Libc.LOOP_CTL_GET_FREE, null);
            NativeException.Check(number, "ioctl LOOP_CTL_GET_FREE", "/dev/loop-control");
            var path = "/dev/loop" + number.ToString(CultureInfo.InvariantCulture);
            var device = SafeFd.Check(Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open", path);
            var config = new Libc.LoopConfig { Fd = (uint)file.Number };
            config.Info.Flags = Libc.LO_FLAGS_AUTOCLEAR;
            if (Libc.ioctl(device, Libc.LOOP_CONFIGURE, &config) == 0) return new LoopDevice(path, device);
            var e = NativeException.Last("ioctl LOOP_CONFIGURE", path);
            device.Dispose();
            if (e.Errno != Errno.EBUSY || attempt == 8) throw e;
        }
    }

    /// <summary>Closes this handle; the device clears once nothing else has it open or mounted.</summary>
    public void Dispose() => device.Dispose();
}
