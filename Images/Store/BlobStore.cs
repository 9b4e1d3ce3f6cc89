using System.Security.Cryptography;
using Containet.Native;

namespace Mocker.Store;

/// <summary>
/// Content-addressed blobs under blobs/sha256/HEX. A blob appears only whole and verified: it is written to
/// tmp/ and renamed into place, under a per-digest file lock so two pulls of one image never fight.
/// The store is root's alone (0700, as umoci's bundles; Docker's /var/lib/docker is 0710): its trees keep the
/// setuid binaries and device nodes images define, and its blobs may be a private image's secrets.
/// </summary>
public sealed class BlobStore
{
    private const UnixFileMode OwnerOnly = (UnixFileMode)Mode.O700;

    public string Root { get; }

    public BlobStore(string root)
    {
        Root = root;
        // The store first: closing it closes everything in it, trees an older mocker left open included. The
        // trees' own folders are closed too, should the store ever be opened up again.
        foreach (var dir in (string[])["", "rootfs", "tmp"])
            Private(Path.Combine(root, dir));
        foreach (var dir in (string[])["blobs/sha256", "locks", "refs"])
            Directory.CreateDirectory(Path.Combine(root, dir));
        // Trees are built under tmp/: each then starts in a lightly used part of the disk, not beside the
        // store's own churn, where on ext4 without a journal every file made skips the recently freed inodes.
        FileNodes.MarkTopDirectory(Path.Combine(root, "tmp"));
    }

    // Made 0700, or changed to it; folders above it are made as usual.
    private static void Private(string dir)
    {
        if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))) is { } parent) Directory.CreateDirectory(parent);
        Directory.CreateDirectory(dir, OwnerOnly);
        if (File.GetUnixFileMode(dir) != OwnerOnly) File.SetUnixFileMode(dir, OwnerOnly);
    }

    public string PathOf(string digest) => Path.Combine(Root, "blobs", "sha256", Hex(digest));

    public bool Has(string digest) => File.Exists(PathOf(digest));

    public FileStream OpenRead(string digest) => new(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    public SafeFd Lock(string name) => Posix.Lock(Path.Combine(Root, "locks", name + ".lock"));

    /// <summary>
    /// Makes sure the blob is stored: if not, <paramref name="fetch"/> writes it to a temp file, which becomes
    /// the blob only when fetch returns (having verified it). Returns false when the blob was already there.
    /// <paramref name="created"/> hears of the temp file, which is written unbuffered and shared for reading,
    /// so that it can be read while it grows (<see cref="GrowingBlob"/>).
    /// </summary>
    public bool Ensure(string digest, Action<Stream> fetch, Action<string>? created = null)
    {
        if (Has(digest)) return false;
        using var held = Lock(Hex(digest));
        if (Has(digest)) return false; // another pull finished it while we waited
        var temp = TempPath(digest);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                created?.Invoke(temp);
                fetch(file);
            }
            File.Move(temp, PathOf(digest));
            return true;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Stores bytes already in hand (a manifest), after checking them against the digest.</summary>
    public void Put(string digest, byte[] bytes)
    {
        if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)) != digest)
            throw new InvalidOperationException($"refusing to store bytes that do not match {digest}");
        if (Has(digest)) return;
        var temp = TempPath(digest);
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, PathOf(digest), overwrite: true);
    }

    // Unique per pull and attempt; prune clears what a killed pull left.
    private string TempPath(string digest) => Path.Combine(Root, "tmp", $"{Hex(digest)}.{Environment.ProcessId}.{Guid.NewGuid():N}");

    public IEnumerable<string> All() =>
        Directory.EnumerateFiles(Path.Combine(Root, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f));

    public static string Hex(string digest) =>
        References.Digest.IsSha256(digest)
            ? digest[References.Digest.Prefix.Length..]
            : throw new FormatException($"not a sha256 digest: {digest}");
}
