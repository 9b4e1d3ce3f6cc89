using System.Globalization;
using System.Net;

namespace Containode.Remote.Serve;

/// <summary>containode serve's command line: where to listen, its TLS files, who may do what, and what jobs may use.</summary>
public sealed class ServeOptions
{
    public const string Usage = """
        containode serve --listen ADDR:PORT --tls-cert FILE --tls-key FILE --tls-ca FILE [options]
        Serve this node's containers as jobs to remote clients: gRPC over mutual TLS 1.3 (Containode.Remote/jobs.proto).
        A client's identity is its certificate's common name; it sees and controls only the jobs it created.
          --listen ADDR:PORT      the address to listen on (port 0: any free port, printed on start)
          --tls-cert/--tls-key    the server's certificate and key (PEM)
          --tls-ca FILE           the one CA clients' certificates must chain to (the system's store is not used)
          --admin CN              an identity that sees and controls every job (repeatable)
          --allow CN=METHOD,...   the only methods CN may call: Create Stop Kill Status List Remove Stats Output
                                  (repeatable; an identity without --allow may call them all; Run, a
                                  foreground run in one call, with Create, Output and Status)
          --root NAME=PATH        a root filesystem clients may choose by NAME (repeatable)
          --network NAME=SOCK     a containet switch clients may attach jobs to by NAME (repeatable)
          --state-dir DIR         where job owners are kept (default: CONTAINET_LIB_DIR or /var/lib/containet, /serve)
          --max-jobs N            jobs an identity may have at once, exited ones until removed (default 64)
        Jobs run under their own monitors: stopping the server (SIGTERM) leaves them running, and a new server finds them.
        """;

    public static readonly string[] Methods = ["Create", "Stop", "Kill", "Status", "List", "Remove", "Stats", "Output"];

    public required IPEndPoint Listen { get; init; }
    public required string Certificate { get; init; }
    public required string Key { get; init; }
    public required string Authority { get; init; }
    public HashSet<string> Admins { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HashSet<string>> Allowed { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Roots { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Networks { get; } = new(StringComparer.Ordinal);
    public string StateDir { get; init; } = DefaultStateDir;
    public int MaxJobsPerIdentity { get; init; } = 64;

    private static string DefaultStateDir =>
        Path.Combine(Environment.GetEnvironmentVariable("CONTAINET_LIB_DIR") is { Length: > 0 } lib ? lib : "/var/lib/containet", "serve");

    /// <summary>The options after `serve`; a <see cref="UsageException"/> says what is wrong.</summary>
    public static ServeOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            var eq = a.IndexOf('=');
            var (name, value) = a.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (a[..eq], a[(eq + 1)..]) : (a, null);
            if (name is not ("--listen" or "--tls-cert" or "--tls-key" or "--tls-ca" or "--admin" or "--allow" or "--root" or "--network" or "--state-dir" or "--max-jobs"))
                throw new UsageException($"serve: unknown option {a}");
            if (value is null)
            {
                if (++i >= args.Count) throw new UsageException($"serve: {name} needs a value");
                value = args[i];
            }
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            list.Add(value);
        }
        string One(string name) => values.TryGetValue(name, out var v) ? v.Count == 1 ? v[0] : throw new UsageException($"serve: {name} given twice") : throw new UsageException($"serve: {name} is required");
        string? Maybe(string name) => values.ContainsKey(name) ? One(name) : null;

        var options = new ServeOptions
        {
            Listen = IPEndPoint.TryParse(One("--listen"), out var endpoint) && One("--listen").Contains(':') ? endpoint : throw new UsageException($"serve: --listen {One("--listen")}: ADDR:PORT"),
            Certificate = One("--tls-cert"),
            Key = One("--tls-key"),
            Authority = One("--tls-ca"),
            StateDir = Maybe("--state-dir") ?? DefaultStateDir,
            MaxJobsPerIdentity = Maybe("--max-jobs") is { } m ? int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"serve: --max-jobs {m}: a positive number") : 64,
        };
        foreach (var admin in values.GetValueOrDefault("--admin") ?? [])
            options.Admins.Add(Tls.PeerIdentity.IsValid(admin) ? admin : throw new UsageException($"serve: --admin {admin}: not a certificate common name this server accepts"));
        foreach (var (cn, methods) in Pairs(values, "--allow"))
        {
            var set = options.Allowed.TryGetValue(cn, out var s) ? s : options.Allowed[cn] = new(StringComparer.Ordinal);
            foreach (var method in methods.Split(',', StringSplitOptions.RemoveEmptyEntries))
                set.Add(Methods.Contains(method) ? method : throw new UsageException($"serve: --allow {cn}={methods}: {method} is not one of {string.Join(' ', Methods)}"));
        }
        foreach (var (name, path) in Pairs(values, "--root")) options.Roots[name] = Path.GetFullPath(path);
        foreach (var (name, socket) in Pairs(values, "--network")) options.Networks[name] = Path.GetFullPath(socket);
        return options;
    }

    private static IEnumerable<(string Name, string Value)> Pairs(Dictionary<string, List<string>> values, string option)
    {
        foreach (var pair in values.GetValueOrDefault(option) ?? [])
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1 || !Tls.PeerIdentity.IsValid(pair[..eq])) throw new UsageException($"serve: {option} {pair}: NAME=VALUE");
            yield return (pair[..eq], pair[(eq + 1)..]);
        }
    }
}
