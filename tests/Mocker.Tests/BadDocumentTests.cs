using System.Text;
using Containet.TestSupport;
using Xunit;

namespace Mocker.Tests;

/// <summary>Manifests and configs no registry should send: each is refused in one line that names the image, never a crash.</summary>
public sealed class BadDocumentTests
{
    [RootTheory]
    [InlineData("<html>502 Bad Gateway</html>", "not JSON")]
    [InlineData("""{"hello":"world"}""", "neither an image manifest")]
    [InlineData("""[1,2,3]""", "not a JSON object")]
    [InlineData("""{"schemaVersion":"two","config":{},"layers":[]}""", "\"schemaVersion\"")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:00","size":2},"layers":[]}""", "not a sha256 digest")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":42,"size":2},"layers":[]}""", "\"digest\"")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"layers":[]}""", "\"size\"")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},"layers":{}}""", "\"layers\"")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2,"platform":{"os":7}}]}""", "\"os\"")]
    public void A_manifest_mocker_cannot_read_is_an_error_naming_the_image(string document, string reason)
    {
        using var registry = new ScriptedRegistry(Encoding.UTF8.GetBytes(document), []);
        using var mocker = new MockerProcess();

        var pull = mocker.Run("pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        var line = Assert.Single(pull.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("mocker: ", StringComparison.Ordinal));
        Assert.Contains(registry.Reference, line);
        Assert.Contains(reason, line);
        Assert.DoesNotContain("Unhandled", pull.Stderr);
    }

    [RootFact]
    public void A_config_over_4_MiB_is_refused_before_it_is_downloaded()
    {
        var config = new byte[5 << 20];
        "{\"a\":\""u8.CopyTo(config);
        config.AsSpan(6, config.Length - 8).Fill((byte)'x');
        "\"}"u8.CopyTo(config.AsSpan(config.Length - 2));
        using var registry = ScriptedRegistry.Of(config);
        using var mocker = new MockerProcess();

        var pull = mocker.Run("pull", registry.Reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"the config of {registry.Reference}", pull.Stderr);
        Assert.Contains("4 MiB", pull.Stderr);
        Assert.DoesNotContain(registry.Asked, p => p.EndsWith(ScriptedRegistry.Digest(config), StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(mocker.Store, "refs")));
    }

    [RootFact]
    public void A_config_that_is_not_an_object_still_pulls()
    {
        // Only the creation time is read from the config; one mocker cannot read is no reason to fail.
        using var registry = ScriptedRegistry.Of("""["created"]"""u8.ToArray());
        using var mocker = new MockerProcess();

        mocker.Run("pull", registry.Reference).EnsureSuccess();
    }
}
