using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>linux/loop.h: a free loop device from /dev/loop-control, and LOOP_CONFIGURE to back it with a file.</summary>
internal static unsafe partial class Libc
{
    public const nuint LOOP_CTL_GET_FREE = 0x4C82, LOOP_CONFIGURE = 0x4C0A;
    public const uint LO_FLAGS_AUTOCLEAR = 4;

    /// <summary>open(2)'s O_TMPFILE: an unnamed file in a directory's filesystem, gone with its last reference.</summary>
    public const int O_TMPFILE = 0x400000 | O_DIRECTORY;

    [StructLayout(LayoutKind.Sequential)]
    public struct LoopInfo64
    {
        public ulong Device, Inode, RDevice, Offset, SizeLimit;
        public uint Number, EncryptType, EncryptKeySize, Flags;
        public fixed byte FileName[64];
        public fixed byte CryptName[64];
        public fixed byte EncryptKey[32];
        public fixed ulong Init[2];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct LoopConfig
    {
        public uint Fd, BlockSize;
        public LoopInfo64 Info;
        public fixed ulong Reserved[8];
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ftruncate(SafeFd fd, long length);
}
