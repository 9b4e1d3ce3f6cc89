using System.Buffers.Binary;
using System.Text;
using Containet.Native;

namespace Containode;

/// <summary>
/// Compiled seccomp programs kept in a root-only directory, because compiling the default profile (x86_64 and
/// x86) with libseccomp costs more than the rest of a launch, and reading a compiled one costs little.
/// A file is named by a hash of what the program depends on (profile text or installed file, capability mask,
/// architecture, kernel version) and holds that key in full, so a hit is a byte-for-byte match, never a hash
/// collision; the hash is not the crypto stack's, which would have to be loaded. The libseccomp that compiled it
/// is stamped beside the key (its file's path, size and time), and a hit checks the stamp with one stat: an
/// upgraded library misses, and a hit never loads the library, whose dlopen cost more than the hit. Any problem (missing, short, foreign, unwritable) falls back to
/// compiling.
/// </summary>
public sealed class SeccompCache(string directory)
{
    public static string DefaultDirectory => Posix.IsRoot ? "/run/containet/seccomp" : Path.Combine(Rootless.StateDirectory, "seccomp");

    private const int MaxKeyBytes = SeccompProfile.MaxBytes + 256;

    public string Directory => directory;

    /// <summary><see cref="SeccompProfile.Compile(string, string, ulong)"/>, from the cache when it holds the program.</summary>
    public byte[] Compile(string profileJson, string source, ulong capabilities) =>
        Cached(Key(capabilities, "profile text", profileJson), () => SeccompProfile.Compile(profileJson, source, capabilities));

    /// <summary>
    /// The same for a profile file installed with containode (its default), keyed by the file's stamp (path, size,
    /// time) instead of its text, so that a hit does not read and encode its 10-odd kB. A reinstall changes the stamp.
    /// </summary>
    public byte[] CompileInstalled(string path, Func<string> read, string source, ulong capabilities) =>
        LibraryStamp.OfFile(path) is { } stamp
            ? Cached(Key(capabilities, "installed file", stamp), () => SeccompProfile.Compile(read(), source, capabilities))
            : SeccompProfile.Compile(read(), source, capabilities);

    /// <summary>What a program depends on: the cache format, architecture, kernel, capabilities, and the profile as KIND says.</summary>
    private static byte[] Key(ulong capabilities, string kind, string profile)
    {
        // Encoded straight into the key, not through one string of the header and the profile: it may be 20-odd kB.
        var header = Encoding.UTF8.GetBytes($"containet seccomp 4\n{NativeArch.Current.Seccomp}\n{Environment.OSVersion.Version}\n{capabilities:x16}\n{kind}\n");
        var key = new byte[header.Length + Encoding.UTF8.GetByteCount(profile)];
        header.CopyTo(key, 0);
        Encoding.UTF8.GetBytes(profile, key.AsSpan(header.Length));
        return key;
    }

    private byte[] Cached(byte[] key, Func<byte[]> compile)
    {
        var path = Path.Combine(directory, $"{Fnv1a(key):x16}.bpf");
        if (key.Length <= MaxKeyBytes && TryRead(path, key) is { } cached) return cached;
        var program = compile();
        if (key.Length <= MaxKeyBytes && LibraryStamp.OfLoaded() is { } stamp) TryWrite(path, key, stamp, program);
        return program;
    }

    /// <summary>
    /// The program stored under <paramref name="key"/>; null unless the file holds exactly that key, the stamp of a
    /// libseccomp that is still installed as it was, and a whole program. The file is the key's length and the key,
    /// the stamp's length and the stamp, then the program.
    /// </summary>
    private static byte[]? TryRead(string path, byte[] key)
    {
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > 8 + key.Length + LibraryStamp.MaxBytes + SeccompProfile.MaxInstructions * 8) return null;
            var file = new byte[stream.Length];
            stream.ReadExactly(file);
            if (file.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(file) != key.Length) return null;
            var stored = file.AsSpan(4);
            if (stored.Length < key.Length + 4 || !stored[..key.Length].SequenceEqual(key)) return null;
            stored = stored[key.Length..];
            var stampLength = BinaryPrimitives.ReadInt32LittleEndian(stored);
            if (stampLength is < 0 or > LibraryStamp.MaxBytes || stored.Length < 4 + stampLength) return null;
            if (!LibraryStamp.StillHolds(Encoding.UTF8.GetString(stored.Slice(4, stampLength)))) return null;
            var program = stored[(4 + stampLength)..];
            return program.Length > 0 && program.Length % 8 == 0 && program.Length / 8 <= SeccompProfile.MaxInstructions ? program.ToArray() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a temp file and renames it into place, so a reader sees a whole file or none.</summary>
    private void TryWrite(string path, byte[] key, string stamp, byte[] program)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            if (!EnsureDirectory()) return;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, key.Length);
                file.Write(length);
                file.Write(key);
                var stampBytes = Encoding.UTF8.GetBytes(stamp);
                BinaryPrimitives.WriteInt32LittleEndian(length, stampBytes.Length);
                file.Write(length);
                file.Write(stampBytes);
                file.Write(program);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); }
            catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Creates the directory owner-only (its parents as any launcher makes them); an existing one must be a
    /// real directory nobody else can write.
    /// </summary>
    private bool EnsureDirectory()
    {
        if (Posix.TypeOf(directory) == Posix.FileType.Missing)
        {
            if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) is { } parent)
                System.IO.Directory.CreateDirectory(parent);
            System.IO.Directory.CreateDirectory(directory, (UnixFileMode)Mode.O700);
        }
        return Posix.TypeOf(directory) == Posix.FileType.Directory
            && (File.GetUnixFileMode(directory) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
