using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Mocker.Tests;

/// <summary>
/// One image, test/app:1, served by a <see cref="ScriptedServer"/>: documents and blobs no real registry would
/// hold (a manifest that is not JSON, a 5 MiB config, a gzip bomb), and a hook that answers some paths by hand
/// (a blob that drips). Every request path is kept, in order.
/// </summary>
public sealed class ScriptedRegistry : IDisposable
{
    private readonly ScriptedServer server;
    private readonly ConcurrentQueue<string> asked = new();
    private readonly Dictionary<string, byte[]> blobs = new(StringComparer.Ordinal);

    public string Reference => server.Host + "/test/app:1";
    public IReadOnlyCollection<string> Asked => asked;

    /// <param name="answer">Gets the path and the socket first; returns true when it answered, and the connection closes.</param>
    /// <param name="listening">Where to listen, if not on 127.0.0.1.</param>
    public ScriptedRegistry(byte[] manifest, IEnumerable<byte[]> blobs, Func<string, Socket, bool>? answer = null, TcpListener? listening = null)
    {
        foreach (var b in blobs) this.blobs[Digest(b)] = b;
        server = new ScriptedServer((head, _, socket) =>
        {
            var path = head.Split(' ', 3)[1];
            asked.Enqueue(path);
            if (answer?.Invoke(path, socket) == true) return true;
            var blob = path.Contains("/blobs/", StringComparison.Ordinal) && this.blobs.TryGetValue(path[(path.LastIndexOf('/') + 1)..], out var b) ? b : null;
            var (status, body) = path == "/v2/" ? ("200 OK", "{}"u8.ToArray())
                : path.Contains("/manifests/", StringComparison.Ordinal) ? ("200 OK", manifest)
                : blob is not null ? ("200 OK", blob)
                : ("404 Not Found", """{"errors":[{"code":"BLOB_UNKNOWN"}]}"""u8.ToArray());
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {OciManifest}\r\nContent-Length: {body.Length}\r\n\r\n"));
            socket.Send(body);
            return false;
        }, listening);
    }

    /// <summary>A registry of the image made of <paramref name="config"/> and gzipped <paramref name="layers"/>.</summary>
    public static ScriptedRegistry Of(byte[] config, params byte[][] layers) => new(Manifest(config, layers), [config, .. layers]);

    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    public static readonly byte[] Config = """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] Manifest(byte[] config, params byte[][] layers) => Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{{Descriptor("application/vnd.oci.image.config.v1+json", config)}},"layers":[{{string.Join(',', layers.Select(l => Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l)))}}]}""");

    private static string Descriptor(string mediaType, byte[] blob) => $$"""{"mediaType":"{{mediaType}}","digest":"{{Digest(blob)}}","size":{{blob.Length}}}""";

    /// <summary>A gzipped tar of <paramref name="entries"/>.</summary>
    public static byte[] Layer(params TarEntry[] entries)
    {
        using var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(zip, TarEntryFormat.Pax))
            foreach (var e in entries) tar.WriteEntry(e);
        return gz.ToArray();
    }

    public void Dispose() => server.Dispose();
}
