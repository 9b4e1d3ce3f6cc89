using Containet.Cli;
using System.CommandLine;
using Mocker.Http;
using Mocker.Registry;
using Mocker.Store;

namespace Mocker.Cli;

/// <summary>Options every mocker command shares, and the objects they configure.</summary>
internal static class MockerOptions
{
    public static readonly Option<string> Store = new("--store")
    {
        Description = "image store directory (default: $MOCKER_STORE, else " + StoreLocation.Default + " for root and " + StoreLocation.UserDefault + " for other users)",
        DefaultValueFactory = _ => StoreLocation.FromEnvironment,
        Recursive = true,
        HelpName = "DIR",
    };

    public static readonly Option<string[]> Insecure = new("--insecure-registry")
    {
        Description = "allow plain HTTP to this registry, repeatable (localhost and 127.0.0.0/8 always may)",
        Recursive = true,
        HelpName = "HOST[:PORT]",
    };

    public static readonly Option<string?> Mirror = new("--registry-mirror")
    {
        Description = "pull docker.io images through this mirror",
        Recursive = true,
        HelpName = "URL",
    };

    public static readonly Option<bool> Json = new("--json") { Description = "print JSON instead of a table" };

    // Hidden: for tests, which cannot wait the 30 s and 2 minutes a real registry gets.
    public static readonly Option<int> LowSpeedTime = Seconds("--low-speed-time", LowSpeed.Default.Time);
    public static readonly Option<int> RetryBudget = Seconds("--retry-budget", new RegistryOptions().RetryBudget);

    private static Option<int> Seconds(string name, TimeSpan value)
    {
        var option = new Option<int>(name) { Recursive = true, Hidden = true, DefaultValueFactory = _ => (int)value.TotalSeconds };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} takes a whole number of seconds, at least 1");
        });
        return option;
    }

    /// <summary>Opens (or makes) the store; one mocker cannot make or open is an error that says what to do.</summary>
    public static BlobStore OpenStore(ParseResult r)
    {
        var root = r.GetValue(Store)!;
        const string Elsewhere = "--store DIR or MOCKER_STORE=DIR";
        try
        {
            return new BlobStore(root);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"cannot make or open the image store {root}: permission denied; run mocker as root, or give it a store of your own with {Elsewhere}");
        }
        catch (IOException e)
        {
            throw new IOException($"cannot use {root} as the image store: {e.Message}; give another with {Elsewhere}", e);
        }
    }

    public static RegistryClient Registry(ParseResult r) => new(new RegistryOptions
    {
        InsecureRegistries = r.GetValue(Insecure) ?? [],
        Mirror = r.GetValue(Mirror) is { } m ? UsageException.Check(() => HttpUrl.Parse(m.EndsWith('/') ? m : m + "/"), "--registry-mirror") : null,
        LowSpeed = LowSpeed.Default with { Time = TimeSpan.FromSeconds(r.GetValue(LowSpeedTime)) },
        RetryBudget = TimeSpan.FromSeconds(r.GetValue(RetryBudget)),
        Proxy = EnvironmentProxy.FromEnvironment(),
    }, Credentials.Default());
}
