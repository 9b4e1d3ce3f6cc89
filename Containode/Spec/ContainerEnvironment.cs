namespace Containode;

/// <summary>
/// The command's environment: a sane base, as runc and Docker give, then the image's Env, then the user's -e
/// entries, each replacing an earlier entry of its key.
/// </summary>
public static class ContainerEnvironment
{
    // Plain KEY=VALUE strings, as execve takes them.
    public static List<string> Build(string hostname, IReadOnlyList<string> image, IReadOnlyList<string> extra)
    {
        var env = new List<string>
        {
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root",
            "TERM=" + (Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } t ? t : "xterm"),
            "HOSTNAME=" + hostname,
            "container=containet",
        };
        foreach (var e in image)
            if (e.IndexOf('=') > 0) Set(env, e);
        foreach (var e in extra)
        {
            // KEY=VALUE sets; a bare KEY passes the host's value on, as docker run -e does.
            var entry = e.IndexOf('=') > 0 ? e : Environment.GetEnvironmentVariable(e) is { } inherited ? e + "=" + inherited : null;
            if (entry is not null) Set(env, entry);
        }
        return env;
    }

    private static void Set(List<string> env, string entry)
    {
        var key = entry[..(entry.IndexOf('=') + 1)];
        var at = env.FindIndex(x => x.StartsWith(key, StringComparison.Ordinal));
        if (at >= 0) env[at] = entry;
        else env.Add(entry);
    }
}
