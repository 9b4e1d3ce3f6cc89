using System.Text.RegularExpressions;

namespace Mocker.References;

/// <summary>
/// An image reference normalised the way Docker does it: `alpine` is docker.io/library/alpine:latest,
/// `user/app` is docker.io/user/app:latest, and `host[:port]/path:tag` stays as written.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>Where docker.io's API really lives.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>What the manifest request asks for: the digest when there is one, else the tag.</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    public static ImageReference Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 1024)
            throw new FormatException("an image reference is NAME[:TAG][@DIGEST]");
        string? digest = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            if (!DigestPattern().IsMatch(digest))
                throw new FormatException($"bad digest '{digest}' in '{text}': expected sha256:<64 hex digits>");
            text = text[..at];
        }
        string? tag = null;
        var lastSlash = text.LastIndexOf('/');
        var colon = text.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = text[(colon + 1)..];
            if (!TagPattern().IsMatch(tag)) throw new FormatException($"bad tag '{tag}' in '{text}'");
            text = text[..colon];
        }
        var registry = DockerHub;
        var firstSlash = text.IndexOf('/');
        if (firstSlash > 0)
        {
            var first = text[..firstSlash];
            // Docker's rule: the first component is a registry if it has a dot or a port, or is localhost.
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first;
                text = text[(firstSlash + 1)..];
            }
        }
        if (registry is "index.docker.io" or "registry-1.docker.io") registry = DockerHub;
        var repository = registry == DockerHub && !text.Contains('/') ? "library/" + text : text;
        if (!RepositoryPattern().IsMatch(repository))
            throw new FormatException($"bad repository name '{repository}': lowercase letters, digits and separators (. _ - /)");
        if (tag is null && digest is null) tag = "latest";
        return new ImageReference(registry, repository, tag, digest);
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
