namespace Mocker.References;

/// <summary>os/arch[/variant], as in --platform linux/arm64/v8.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant)
{
    public override string ToString() => $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";

    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new FormatException($"bad platform '{text}': expected os/arch[/variant]");
        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    public static Platform Host => new("linux", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    }, null);

    /// <summary>Whether an index entry's platform serves this request (a missing variant matches any).</summary>
    public bool Matches(string os, string architecture, string? variant) =>
        os == Os && architecture == Architecture && (Variant is null || Variant == variant);

    /// <summary>
    /// Whether an image's own platform (from its config) serves this request: the variant counts only when both
    /// give one, as configs often leave it out (arm64 is v8).
    /// </summary>
    public bool IsServedBy(Platform image) =>
        image.Os == Os && image.Architecture == Architecture && (Variant is null || image.Variant is null || Variant == image.Variant);
}
