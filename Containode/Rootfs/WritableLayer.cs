using System.Diagnostics;
using System.Globalization;
using Containet.Native;

namespace Containode;

/// <summary>
/// A writable layer that cannot grow past a size (--storage-opt size=): an ext4 filesystem of that size in an
/// unnamed sparse file, on a loop device that clears itself, mounted detached by containode (the container's
/// device cgroup would refuse the child the block device) and attached by the child in its own mount namespace,
/// to hold the overlay's upper and work dirs. Writing past it is ENOSPC inside the container. The mount dies
/// with that namespace, the loop device with the mount and the file with the device, so the layer goes with
/// the container however it ends, and the host's disk holds at most SIZE of it meanwhile.
///
/// A loop device rather than a project quota: a quota needs a filesystem mounted with prjquota (ext4, xfs)
/// under TOP, which hosts rarely have; a loop device works on any filesystem that holds sparse files.
/// </summary>
public sealed class WritableLayer : IDisposable
{
    private static readonly TimeSpan MkfsTimeout = TimeSpan.FromSeconds(60);
    private readonly LoopDevice device;
    private readonly SafeFd mount;

    /// <summary>Where the child mounts the filesystem, in the run directory.</summary>
    public string MountPoint { get; }

    public string Upper => Path.Combine(MountPoint, "root");
    public string Work => Path.Combine(MountPoint, "work");

    private WritableLayer(LoopDevice device, SafeFd mount, string mountPoint)
    {
        this.device = device;
        this.mount = mount;
        MountPoint = mountPoint;
    }

    /// <summary>Makes the layer's filesystem in a file of <paramref name="directory"/>'s filesystem, to be mounted at <paramref name="mountPoint"/>.</summary>
    public static WritableLayer Create(string directory, long size, string mountPoint)
    {
        var device = LoopDevice.AttachNewFile(directory, size);
        SafeFd? mount = null;
        try
        {
            MakeFileSystem(device.Path);
            // Inode tables stay as they are: zeroing them in the background would only write to a layer that never outlives its container.
            mount = DetachedMount.Create("ext4", device.Path, flags: "noinit_itable");
            FileNodes.MakeDirectoryAt(mount, "root", Mode.O755);
            FileNodes.MakeDirectoryAt(mount, "work", Mode.O755);
            Directory.CreateDirectory(mountPoint);
            return new WritableLayer(device, mount, mountPoint);
        }
        catch
        {
            mount?.Dispose();
            device.Dispose();
            throw;
        }
    }

    /// <summary>Has the child attach the filesystem, with the overlay's dirs in it, in its own mount namespace.</summary>
    public void AddTo(ContainerPlan plan) => plan.AttachMount(mount, MountPoint);

    /// <summary>Closes containode's handles, once the child's mount holds the filesystem for as long as the container runs.</summary>
    public void Dispose()
    {
        mount.Dispose();
        device.Dispose();
    }

    /// <summary>
    /// ext4 with no blocks kept for root (root inside the container would get them) and no journal (the layer
    /// never outlives a crash); inode tables are initialised lazily, so a large layer is made as fast as a small one.
    /// </summary>
    private static void MakeFileSystem(string device)
    {
        var psi = new ProcessStartInfo("mkfs.ext4") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard,lazy_itable_init=1", device]) psi.ArgumentList.Add(a);
        Process mkfs;
        try { mkfs = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new LaunchException($"--storage-opt needs mkfs.ext4 (e2fsprogs): {e.Message}"); }
        using (mkfs)
        {
            var errors = mkfs.StandardError.ReadToEndAsync();
            mkfs.StandardOutput.ReadToEnd();
            if (!mkfs.WaitForExit(MkfsTimeout)) mkfs.Kill();
            mkfs.WaitForExit();
            if (mkfs.ExitCode != 0)
                throw new LaunchException($"mkfs.ext4 {device} failed ({mkfs.ExitCode.ToString(CultureInfo.InvariantCulture)}): {errors.Result.Trim()}");
        }
    }
}
