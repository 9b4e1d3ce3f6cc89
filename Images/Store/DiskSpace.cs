namespace Mocker.Store;

/// <summary>
/// What a pull may still write to the store's filesystem. It leaves the space only root may use alone
/// (statvfs's available, not free, blocks: ext4's reserve stays for the system, though mocker runs as root),
/// and keeps back 1% of the filesystem, at most 1 GiB, for filesystems that reserve nothing.
/// </summary>
public sealed class DiskSpace(string path)
{
    private const long MaxReserve = 1L << 30;

    /// <summary>The bytes a pull may still write.</summary>
    public long Spare
    {
        get
        {
            var drive = new DriveInfo(path);
            return drive.AvailableFreeSpace - Math.Min(drive.TotalSize / 100, MaxReserve);
        }
    }

    public string Path => path;
}
