namespace Containode;

/// <summary>The command's environment: a sane base, as runc and Docker give, then the user's -e entries.</summary>
public static class ContainerEnvironment
{
    public static List<string> Build(string hostname, IReadOnlyList<string> extra)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = "/root",
            ["TERM"] = Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } t ? t : "xterm",
            ["HOSTNAME"] = hostname,
            ["container"] = "containet",
        };
        foreach (var e in extra)
        {
            var eq = e.IndexOf('=');
            if (eq > 0) env[e[..eq]] = e[(eq + 1)..];
            else if (Environment.GetEnvironmentVariable(e) is { } inherited) env[e] = inherited;
        }
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }
}
