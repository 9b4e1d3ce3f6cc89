using Mocker.Http;
using Mocker.Store;

namespace Mocker.Extraction;

/// <summary>
/// A layer's tar stream read through a meter: past its limit (<see cref="UnpackLimit"/>), or with the store's
/// disk nearly full, unpacking ends in a LayerException. The disk is asked before each MiB is read, so what
/// the extractor writes of it still fits.
/// </summary>
internal sealed class MeteredTar(Stream tar, long limit, DiskSpace disk) : ReadOnlyStream
{
    private const long CheckEvery = 1 << 20;
    private long read, nextCheck;

    public override int Read(Span<byte> buffer)
    {
        if (read >= nextCheck)
        {
            if (disk.Spare is var spare and < CheckEvery)
                throw new LayerException($"the disk of {disk.Path} has only {ByteSize.FormatColumn(Math.Max(0, spare))} of space to spare; make room (mocker rm, mocker prune) and pull again");
            nextCheck = read + CheckEvery;
        }
        var n = tar.Read(buffer);
        read += n;
        if (read > limit)
            throw new LayerException($"it unpacks to more than {ByteSize.FormatColumn(limit)}; if the image is to be trusted, pull it with a larger --max-unpacked-size");
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) tar.Dispose();
        base.Dispose(disposing);
    }
}
