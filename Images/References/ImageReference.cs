namespace Mocker.References;

/// <summary>
/// An image reference normalised the way Docker does it: `alpine` is docker.io/library/alpine:latest,
/// `user/app` is docker.io/user/app:latest, and `host[:port]/path:tag` stays as written.
/// </summary>
public sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
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
            if (!References.Digest.IsSha256(digest))
                throw new FormatException($"bad digest '{digest}' in '{text}': expected sha256:<64 hex digits>");
            text = text[..at];
        }
        string? tag = null;
        var lastSlash = text.LastIndexOf('/');
        var colon = text.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = text[(colon + 1)..];
            if (!IsTag(tag)) throw new FormatException($"bad tag '{tag}' in '{text}'");
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
        registry = Hub(registry);
        var repository = registry == DockerHub && !text.Contains('/') ? "library/" + text : text;
        if (!IsRepository(repository))
            throw new FormatException($"bad repository name '{repository}': lowercase letters, digits and separators (. _ - /)");
        if (tag is null && digest is null) tag = "latest";
        return new ImageReference(registry, repository, tag, digest);
    }

    /// <summary>
    /// A registry as `docker login` takes it: a scheme and a path are dropped (http://host:5000/v2/ is
    /// host:5000), and Docker Hub's other names are docker.io.
    /// </summary>
    public static string RegistryHost(string text)
    {
        var host = text;
        foreach (var scheme in (string[])["http://", "https://"])
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
                break;
            }
        host = host.Split('/')[0];
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '@'))
            throw new FormatException($"'{text}' is not a registry: give HOST[:PORT], e.g. registry.example:5000");
        return Hub(host);
    }

    private static string Hub(string registry) => registry is "index.docker.io" or "registry-1.docker.io" ? DockerHub : registry;

    // The grammar of Docker's reference package, checked by hand (see Digest for why).
    /// <summary>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</summary>
    private static bool IsTag(string tag)
    {
        if (tag.Length is 0 or > 128 || tag[0] is '.' or '-') return false;
        foreach (var c in tag)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-')) return false;
        return true;
    }

    /// <summary>Components split by '/', each [a-z0-9]+ joined by '.', '_', '__' or a run of '-'.</summary>
    private static bool IsRepository(string repository)
    {
        foreach (var component in repository.Split('/'))
        {
            var i = 0;
            while (true)
            {
                var start = i;
                while (i < component.Length && (char.IsAsciiDigit(component[i]) || char.IsAsciiLetterLower(component[i]))) i++;
                if (i == start) return false;
                if (i == component.Length) break;
                if (component[i] == '-')
                    while (i < component.Length && component[i] == '-') i++;
                else if (component[i] == '_')
                    i += i + 1 < component.Length && component[i + 1] == '_' ? 2 : 1;
                else if (component[i] == '.') i++;
                else return false;
            }
        }
        return true;
    }
}
