using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mocker.References;

namespace Mocker.Registry;

/// <summary>
/// Manifests and blobs over the Docker Registry HTTP API v2. Every byte is hashed and checked against its
/// digest before anyone trusts it; manifests are size-limited; 5xx answers and dropped connections are
/// retried with backoff a bounded number of times, and 429 waits as Retry-After says.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    public const int MaxManifestBytes = 4 << 20;
    public static readonly HttpRequestOptionsKey<string> ScopeOption = new("mocker.scope");
    public static readonly HttpRequestOptionsKey<string> RegistryOption = new("mocker.registry");

    private readonly HttpClient api;
    private readonly HttpClient plain;
    private readonly RegistryOptions options;

    public RegistryClient(RegistryOptions options, Credentials credentials)
    {
        this.options = options;
        // Redirects are followed by hand, through a client that has no credentials to leak to a CDN.
        api = new HttpClient(new AuthHandler(credentials) { InnerHandler = NewHandler() }) { Timeout = Timeout.InfiniteTimeSpan };
        plain = new HttpClient(NewHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static SocketsHttpHandler NewHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 8,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectCallback = Connect,
    };

    // A blocking connect on a socket that stays blocking: the handler's own path resolves and connects
    // asynchronously and starts the socket engine's epoll thread, start-up a pull pays for in compiled-on-the-
    // spot code. Blocking reads fit mocker's synchronous requests.
    private static ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (ct.Register(socket.Dispose))
                socket.Connect(context.DnsEndPoint.Host, context.DnsEndPoint.Port);
            return ValueTask.FromResult<Stream>(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            ct.ThrowIfCancellationRequested();
            throw new HttpRequestException($"cannot connect to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}: {e.Message}", e);
        }
    }

    public Uri Base(ImageReference r) =>
        r.Registry == ImageReference.DockerHub && options.Mirror is { } mirror
            ? mirror
            : new Uri($"{(options.AllowsHttp(r.Registry) ? "http" : "https")}://{r.ApiHost}/");

    /// <summary>Fetches a manifest by tag or digest and verifies it; a digest reference must match exactly.</summary>
    public Manifest GetManifest(ImageReference r, string reference, CancellationToken ct)
    {
        using var response = Send(r, () =>
        {
            var request = Request(r, HttpMethod.Get, $"manifests/{reference}");
            foreach (var type in MediaTypes.Manifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, ct);
        EnsureSuccess(response, r, ct);
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
            throw new RegistryException($"the manifest of {r} is larger than {MaxManifestBytes >> 20} MiB");
        var bytes = ReadLimited(response, MaxManifestBytes, ct);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var expected = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference
            : response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : null;
        if (expected is not null && expected != digest)
            throw new RegistryException($"the manifest of {r} does not match its digest: expected {expected}, got {digest}");
        return Manifest.Parse(bytes, response.Content.Headers.ContentType?.MediaType, digest);
    }

    /// <summary>Streams a blob into <paramref name="destination"/>, hashing as it goes; throws unless the digest and size match.</summary>
    public void DownloadBlob(ImageReference r, Descriptor blob, Stream destination, Action<long>? progress, CancellationToken ct)
    {
        using var response = Send(r, () => Request(r, HttpMethod.Get, $"blobs/{blob.Digest}"), ct, followRedirects: true);
        EnsureSuccess(response, r, ct);
        if (response.Content.Headers.ContentLength is { } length && blob.Size >= 0 && length != blob.Size)
            throw new RegistryException($"blob {blob.Digest} of {r}: the registry announces {length} bytes, the manifest {blob.Size}");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        ReadBody(response, 1 << 17, chunk =>
        {
            total += chunk.Length;
            if (blob.Size >= 0 && total > blob.Size)
                throw new RegistryException($"blob {blob.Digest} of {r} is longer than its {blob.Size} bytes");
            hash.AppendData(chunk);
            destination.Write(chunk);
            progress?.Invoke(chunk.Length);
        }, ct);
        var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (digest != blob.Digest)
            throw new RegistryException($"blob {blob.Digest} of {r} does not match its digest (got {digest}); nothing was kept");
        if (blob.Size >= 0 && total != blob.Size)
            throw new RegistryException($"blob {blob.Digest} of {r} ended after {total} of {blob.Size} bytes");
    }

    /// <summary>Checks the registry answers and that any login works (for `mocker login`).</summary>
    public void Ping(ImageReference r, CancellationToken ct)
    {
        using var response = Send(r, () => Request(r, HttpMethod.Get, null), ct);
        EnsureSuccess(response, r, ct);
    }

    private HttpRequestMessage Request(ImageReference r, HttpMethod method, string? path)
    {
        var uri = new Uri(Base(r), path is null ? "v2/" : $"v2/{r.Repository}/{path}");
        var request = new HttpRequestMessage(method, uri);
        request.Options.Set(ScopeOption, path is null ? "" : $"repository:{r.Repository}:pull");
        request.Options.Set(RegistryOption, r.Registry);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("mocker", "0.1"));
        return request;
    }

    private HttpResponseMessage Send(ImageReference r, Func<HttpRequestMessage> make, CancellationToken ct, bool followRedirects = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = api.Send(make(), HttpCompletionOption.ResponseHeadersRead, ct);
                for (var hops = 0; followRedirects && IsRedirect(response.StatusCode) && hops < 5; hops++)
                {
                    var location = response.Headers.Location ?? throw new RegistryException($"{r.Registry} redirected without a Location");
                    var target = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
                    response.Dispose();
                    response = plain.Send(new HttpRequestMessage(HttpMethod.Get, target), HttpCompletionOption.ResponseHeadersRead, ct);
                }
                if (attempt < options.MaxAttempts && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests))
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow) ?? Backoff(attempt);
                    response.Dispose();
                    Wait(Clamp(wait), ct);
                    continue;
                }
                return response;
            }
            catch (HttpRequestException e) when (attempt < options.MaxAttempts && e.StatusCode is null)
            {
                response?.Dispose();
                Wait(Backoff(attempt), ct);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException($"cannot reach {r.Registry}: {e.Message}");
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode s) => s is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        or HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther;

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(200 * (1 << attempt));

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : t;

    private static void Wait(TimeSpan delay, CancellationToken ct)
    {
        ct.WaitHandle.WaitOne(delay);
        ct.ThrowIfCancellationRequested();
    }

    private static void EnsureSuccess(HttpResponseMessage response, ImageReference r, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        throw RegistryException.FromResponse(response.StatusCode, ReadText(response, ct), r.ToString());
    }

    /// <summary>A response body as text (error bodies, tokens: small), at most one manifest's worth.</summary>
    public static string ReadText(HttpResponseMessage response, CancellationToken ct) =>
        System.Text.Encoding.UTF8.GetString(ReadLimited(response, MaxManifestBytes, ct));

    /// <summary>Hands the response body to <paramref name="chunk"/> piece by piece, as it arrives.</summary>
    private static void ReadBody(HttpResponseMessage response, int bufferSize, ReadOnlySpanAction chunk, CancellationToken ct)
    {
        using var body = response.Content.ReadAsStream(ct);
        // A blocked synchronous read does not watch the token: cancelling disposes the response, which ends it.
        using var cancel = ct.Register(response.Dispose);
        var buffer = new byte[bufferSize];
        while (true)
        {
            int n;
            try
            {
                n = body.Read(buffer);
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is IOException or ObjectDisposedException)
            {
                throw new OperationCanceledException(ct);
            }
            if (n == 0) return;
            chunk(buffer.AsSpan(0, n));
        }
    }

    private delegate void ReadOnlySpanAction(ReadOnlySpan<byte> chunk);

    private static byte[] ReadLimited(HttpResponseMessage response, int limit, CancellationToken ct)
    {
        using var memory = new MemoryStream();
        ReadBody(response, 65536, chunk =>
        {
            if (memory.Length + chunk.Length > limit) throw new RegistryException($"a manifest is larger than {limit >> 20} MiB");
            memory.Write(chunk);
        }, ct);
        return memory.ToArray();
    }

    public void Dispose()
    {
        api.Dispose();
        plain.Dispose();
    }
}
