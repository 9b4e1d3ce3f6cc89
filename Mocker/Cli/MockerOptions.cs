using Mocker.Registry;
using Mocker.Store;

namespace Mocker.Cli;

/// <summary>Options every mocker command shares, and the objects they configure.</summary>
internal static class MockerOptions
{
    public const string DefaultStore = "/var/lib/containet/images";

    public static readonly OptionSpec Store = new("--store", null, "DIR", "image store directory (default: $MOCKER_STORE or " + DefaultStore + ")");
    public static readonly OptionSpec Insecure = new("--insecure-registry", null, "HOST[:PORT]", "allow plain HTTP to this registry, repeatable (localhost and 127.0.0.0/8 always may)");
    public static readonly OptionSpec Mirror = new("--registry-mirror", null, "URL", "pull docker.io images through this mirror");
    public static readonly OptionSpec Json = new("--json", null, null, "print JSON instead of a table");

    public static readonly OptionSpec[] Globals = [Store, Insecure, Mirror];

    public static BlobStore OpenStore(ParsedArgs a) => new(a.Value(Store.Name)
        ?? (Environment.GetEnvironmentVariable("MOCKER_STORE") is { Length: > 0 } s ? s : DefaultStore));

    public static RegistryClient Registry(ParsedArgs a) => new(new RegistryOptions
    {
        InsecureRegistries = a.Values(Insecure.Name),
        Mirror = a.Value(Mirror.Name) is { } m ? Http.HttpUrl.Parse(m.EndsWith('/') ? m : m + "/") : null,
    }, Credentials.Default());
}
