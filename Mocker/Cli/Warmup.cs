using System.Security.Cryptography;
using System.Text.Json;

namespace Mocker.Cli;

/// <summary>
/// First uses a pull is sure to make, made on a second thread while the main one parses the command line: the
/// first SHA-256 loads OpenSSL, and the first JSON document and URI load their types, each costing
/// milliseconds once. A pull of a small image spends more time starting than pulling, and this overlaps it.
/// </summary>
internal static class Warmup
{
    public static void Start() => new Thread(Run) { IsBackground = true, Name = "warm-up" }.Start();

    private static void Run()
    {
        try
        {
            // In the order the pull needs them.
            _ = new Uri(new Uri("http://127.0.0.1:5000/"), "v2/a/manifests/b").PathAndQuery;
            SHA256.HashData(ReadOnlySpan<byte>.Empty);
            using (JsonDocument.Parse("""{"a":[1,"b"]}""")) { }
        }
        catch (Exception)
        {
            // Only a head start: the pull makes the same calls and reports what fails.
        }
    }
}
