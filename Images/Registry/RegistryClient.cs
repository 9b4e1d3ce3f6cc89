using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using Mocker.Http;
using Mocker.References;

namespace Mocker.Registry;

/// <summary>
/// Manifests and blobs over the Docker Registry HTTP API v2. Every byte is hashed and checked against its
/// digest before anyone trusts it; manifests and configs are size-limited, and blobs end at their manifest's size.
/// 5xx answers and dropped connections are retried with backoff, and 429 waits as Retry-After says, a bounded
/// number of times within a time budget per request; a transfer that crawls fails (see <see cref="LowSpeed"/>).
/// </summary>
public sealed class RegistryClient : IDisposable
{
    public const int MaxManifestBytes = 4 << 20;
    /// <summary>As skopeo limits it: only the creation time is read from a config, whole, into memory.</summary>
    public const int MaxConfigBytes = 4 << 20;
    internal static readonly Header UserAgent = new("User-Agent", "mocker/0.1");
    private static readonly Header AcceptManifests = new("Accept", string.Join(", ", MediaTypes.Manifests));

    private readonly HttpTransport http;
    private readonly Authenticator auth;
    private readonly RegistryOptions options;

    public RegistryClient(RegistryOptions options, Credentials credentials)
    {
        this.options = options;
        http = new HttpTransport(options.LowSpeed, options.Proxy);
        auth = new Authenticator(http, credentials);
    }

    public HttpUrl Base(ImageReference r) =>
        r.Registry == ImageReference.DockerHub && options.Mirror is { } mirror
            ? mirror
            : HttpUrl.Parse($"{(options.AllowsHttp(r.Registry) ? "http" : "https")}://{r.ApiHost}/");

    /// <summary>Fetches a manifest by tag or digest and verifies it; a digest reference must match exactly.</summary>
    public Manifest GetManifest(ImageReference r, string reference, CancellationToken ct)
    {
        var what = $"the manifest of {r}";
        using var response = Send(r, $"manifests/{reference}", what, ct);
        EnsureSuccess(response, r);
        if (response.ContentLength > MaxManifestBytes)
            throw new RegistryException($"the manifest of {r} is larger than {MaxManifestBytes >> 20} MiB");
        var bytes = ReadLimited(response, MaxManifestBytes, what);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var expected = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference
            : response.Header("Docker-Content-Digest");
        if (expected is not null && expected != digest)
            throw new RegistryException($"the manifest of {r} does not match its digest: expected {expected}, got {digest}");
        return Manifest.Parse(bytes, response.MediaType, digest, r.ToString());
    }

    /// <summary>Streams a blob into <paramref name="destination"/>, hashing as it goes; throws unless the digest and size match.</summary>
    public void DownloadBlob(ImageReference r, Descriptor blob, Stream destination, Action<long>? progress, CancellationToken ct)
    {
        var what = $"blob {blob.Digest} of {r}";
        using var response = Send(r, $"blobs/{blob.Digest}", what, ct);
        EnsureSuccess(response, r);
        if (response.ContentLength is { } length && length != blob.Size)
            throw new RegistryException($"{what}: the registry announces {length} bytes, the manifest {blob.Size}");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        ReadBody(response, 1 << 17, what, chunk =>
        {
            total += chunk.Length;
            if (total > blob.Size)
                throw new RegistryException($"{what} is longer than its {blob.Size} bytes");
            hash.AppendData(chunk);
            destination.Write(chunk);
            progress?.Invoke(chunk.Length);
        });
        var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (digest != blob.Digest)
            throw new RegistryException($"{what} does not match its digest (got {digest}); nothing was kept");
        if (total != blob.Size)
            throw new RegistryException($"{what} ended after {total} of {blob.Size} bytes");
    }

    /// <summary>Checks the registry answers and that any login works (for `mocker login`).</summary>
    public void Ping(ImageReference r, CancellationToken ct)
    {
        using var response = Send(r, null, "/v2/", ct);
        EnsureSuccess(response, r);
    }

    /// <summary>
    /// GETs <c>/v2/</c> (path null) or <c>/v2/REPOSITORY/path</c>, authenticated, retried as the class says;
    /// <paramref name="what"/> names what is fetched in errors. Redirects are followed without credentials, which
    /// belong to the registry alone.
    /// </summary>
    private HttpResponse Send(ImageReference r, string? path, string what, CancellationToken ct)
    {
        var uri = Base(r).Append(path is null ? "v2/" : $"v2/{r.Repository}/{path}");
        var scope = path is null ? "" : $"repository:{r.Repository}:pull";
        Header[] headers = path is not null && path.StartsWith("manifests/", StringComparison.Ordinal) ? [UserAgent, AcceptManifests] : [UserAgent];
        var deadline = Environment.TickCount64 + (long)options.RetryBudget.TotalMilliseconds;
        // Another attempt only within the count, and if it can start, after its wait, within the time budget.
        bool MayRetry(int attempt, TimeSpan wait) => attempt < options.MaxAttempts && Environment.TickCount64 + (long)wait.TotalMilliseconds < deadline;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponse? response = null;
            try
            {
                response = auth.Get(uri, headers, r.Registry, scope, ct);
                for (var hops = 0; IsRedirect(response.Status) && hops < 5; hops++)
                {
                    var location = response.Header("Location") ?? throw new RegistryException($"{r.Registry} redirected without a Location");
                    HttpUrl target;
                    try
                    {
                        target = response.Url.Resolve(location);
                    }
                    catch (FormatException e)
                    {
                        throw new RegistryException($"{r.Registry} redirected where mocker cannot follow: {e.Message}");
                    }
                    response.Dispose();
                    response = http.Get(target, [UserAgent], ct);
                }
                if ((int)response.Status >= 500 || response.Status == HttpStatusCode.TooManyRequests)
                {
                    var wait = Clamp(RetryAfter(response.Header("Retry-After")) ?? Backoff(attempt));
                    if (MayRetry(attempt, wait))
                    {
                        response.Dispose();
                        Wait(wait, ct);
                        continue;
                    }
                }
                return response;
            }
            catch (IOException) when (!ct.IsCancellationRequested && MayRetry(attempt, Backoff(attempt)))
            {
                response?.Dispose();
                Wait(Backoff(attempt), ct);
            }
            catch (IOException e) when (!ct.IsCancellationRequested)
            {
                throw Failed(r.Registry, what, e);
            }
            catch (AuthenticationException e)
            {
                throw new RegistryException($"cannot reach {r.Registry} over TLS: {e.Message}; a registry that serves plain HTTP needs --insecure-registry {r.Registry}");
            }
        }
    }

    // Retry-After is seconds or an HTTP date.
    private static TimeSpan? RetryAfter(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, null, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow
        : null;

    private static bool IsRedirect(HttpStatusCode s) => s is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        or HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther;

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(200 * (1 << attempt));

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : t;

    private static void Wait(TimeSpan delay, CancellationToken ct)
    {
        ct.WaitHandle.WaitOne(delay);
        ct.ThrowIfCancellationRequested();
    }

    private static void EnsureSuccess(HttpResponse response, ImageReference r)
    {
        if (response.IsSuccess) return;
        throw RegistryException.FromResponse(response.Status, ReadText(response, $"the error about {r}"), r.ToString());
    }

    // A transfer that failed; one that crawled says so, as curl's low-speed limit does.
    private static RegistryException Failed(string host, string what, IOException e) => e is SlowTransferException
        ? new RegistryException($"{what} stalled: {e.Message}; try again later")
        : new RegistryException($"cannot fetch {what} from {host}: {e.Message}");

    /// <summary>A response body as text (error bodies, tokens: small), at most one manifest's worth.</summary>
    internal static string ReadText(HttpResponse response, string what) =>
        System.Text.Encoding.UTF8.GetString(ReadLimited(response, MaxManifestBytes, what));

    /// <summary>
    /// Hands the response body to <paramref name="chunk"/> piece by piece, as it arrives; a failed read is a
    /// RegistryException about <paramref name="what"/>. A read blocked when the pull is cancelled ends, as the
    /// transport ends the exchange, in an OperationCanceledException.
    /// </summary>
    private static void ReadBody(HttpResponse response, int bufferSize, string what, ReadOnlySpanAction chunk)
    {
        var buffer = new byte[bufferSize];
        while (true)
        {
            int n;
            try
            {
                n = response.Body.Read(buffer);
            }
            catch (IOException e)
            {
                throw Failed(response.Url.Authority, what, e);
            }
            if (n == 0) return;
            chunk(buffer.AsSpan(0, n));
        }
    }

    private delegate void ReadOnlySpanAction(ReadOnlySpan<byte> chunk);

    private static byte[] ReadLimited(HttpResponse response, int limit, string what)
    {
        using var memory = new MemoryStream();
        ReadBody(response, 65536, what, chunk =>
        {
            if (memory.Length + chunk.Length > limit) throw new RegistryException($"{what} is larger than {limit >> 20} MiB");
            memory.Write(chunk);
        });
        return memory.ToArray();
    }

    public void Dispose() => http.Dispose();
}
