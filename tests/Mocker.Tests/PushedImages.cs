using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Mocker.Tests;

/// <summary>One registry with the test images pushed: busybox (OCI), layered (Docker v2s2) and multi (an index of amd64 and arm64).</summary>
public sealed class PushedImages : IDisposable
{
    public TestImages Images { get; } = new();
    public RegistryServer Registry { get; } = new();

    public PushedImages()
    {
        Registry.Push(Images.Layout, "busybox", "library/busybox:latest");
        Registry.Push(Images.Layout, "layered", "library/layered:latest", dockerFormat: true);
        Registry.Push(Images.Layout, "busybox", "library/multi:amd64");
        Registry.Push(Images.Layout, "arm", "library/multi:arm64");
        PushIndex("library/multi", "latest", ("amd64", "amd64"), ("arm64", "arm64"));
    }

    private void PushIndex(string repository, string tag, params (string Tag, string Arch)[] entries)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Registry.Host}/v2/{repository}/") };
        var manifests = new List<string>();
        foreach (var (t, arch) in entries)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "manifests/" + t);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
            var bytes = http.Send(request).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync().Result;
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
            manifests.Add($$$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{digest}}}","size":{{{bytes.Length}}},"platform":{"architecture":"{{{arch}}}","os":"linux"}}""");
        }
        var index = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{string.Join(',', manifests)}}]}""";
        using var put = new HttpRequestMessage(HttpMethod.Put, "manifests/" + tag) { Content = new StringContent(index, Encoding.UTF8) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        http.Send(put).EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        Registry.Dispose();
        Images.Dispose();
    }
}
