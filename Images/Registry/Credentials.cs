using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Containet.Native;

namespace Mocker.Registry;

/// <summary>
/// Logins kept where Docker keeps them, in $DOCKER_CONFIG/config.json or ~/.docker/config.json, under "auths"
/// as base64 user:password, so existing `docker login`s work and ours work for Docker. Without a place to keep
/// them (<see cref="Default"/>), there is no login to find, and saving or removing one is refused.
/// </summary>
public sealed class Credentials
{
    private readonly string? path;
    private readonly string? nowhere;

    public Credentials(string path) => this.path = path;

    private Credentials(string? path, string? nowhere)
    {
        this.path = path;
        this.nowhere = nowhere;
    }

    /// <summary>
    /// Docker's place: DOCKER_CONFIG's folder, else HOME's .docker, and only a HOME that is a folder mocker can
    /// read, so that logins never land in a folder nobody chose (the current one, for an unset HOME).
    /// </summary>
    public static Credentials Default()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } config)
            return new Credentials(Path.Combine(config, "config.json"));
        var home = Environment.GetEnvironmentVariable("HOME");
        var problem = home is not { Length: > 0 } ? "HOME is not set"
            : !Path.IsPathRooted(home) || !Readable(home) ? $"HOME ({home}) is not a folder mocker can read"
            : null;
        return problem is null
            ? new Credentials(Path.Combine(home!, ".docker", "config.json"))
            : new Credentials(null, $"{problem}, so there is no ~/.docker for logins: set DOCKER_CONFIG to the folder that keeps config.json");
    }

    private static bool Readable(string folder)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            entries.MoveNext();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public (string User, string Password)? Find(string registry)
    {
        if (path is null) return null;
        var auths = Load()["auths"] as JsonObject;
        if (auths is null) return null;
        foreach (var key in Keys(registry))
            if (auths[key]?["auth"]?.GetValue<string>() is { } encoded)
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = text.IndexOf(':');
                if (colon > 0) return (text[..colon], text[(colon + 1)..]);
            }
        return null;
    }

    public void Save(string registry, string user, string password)
    {
        var root = LoadForChange();
        var auths = root["auths"] as JsonObject ?? new JsonObject();
        root["auths"] = auths;
        auths[Keys(registry)[0]] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        Write(root);
    }

    public bool Remove(string registry)
    {
        var root = LoadForChange();
        if (root["auths"] is not JsonObject auths) return false;
        var removed = false;
        foreach (var key in Keys(registry)) removed |= auths.Remove(key);
        if (removed) Write(root);
        return removed;
    }

    // Docker files Hub logins under its old index URL.
    private static string[] Keys(string registry) => registry == "docker.io"
        ? ["https://index.docker.io/v1/", "docker.io", "registry-1.docker.io"]
        : [registry, "https://" + registry, "http://" + registry];

    private JsonObject Load()
    {
        if (!File.Exists(path)) return new JsonObject();
        return JsonNode.Parse(File.ReadAllText(path!)) as JsonObject ?? new JsonObject();
    }

    private JsonObject LoadForChange() => path is null ? throw new InvalidOperationException(nowhere) : Load();

    private void Write(JsonObject root)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(temp, (UnixFileMode)Mode.O600);
        File.Move(temp, path!, overwrite: true);
    }
}
