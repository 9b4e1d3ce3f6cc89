namespace Mocker.Extraction;

/// <summary>
/// How much one layer may unpack to, counted as its tar comes out of gzip. By default 100 times its compressed
/// size, and never less than 1 GiB: real layers compress 2 to 10 times, so only a bomb passes 100, while any
/// layer may reach 1 GiB whatever its ratio (a file of zeros, a sparse database). --max-unpacked-size gives a
/// fixed cap instead.
/// </summary>
public readonly record struct UnpackLimit(long? Fixed)
{
    public const long Floor = 1L << 30;
    public const long Ratio = 100;

    public long For(long compressed) => Fixed ?? Math.Max(Floor, compressed > long.MaxValue / Ratio ? long.MaxValue : compressed * Ratio);
}
