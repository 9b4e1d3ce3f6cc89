using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mocker.Registry;

/// <summary>
/// Logins kept where Docker keeps them, in ~/.docker/config.json under "auths" as base64 user:password, so
/// existing `docker login`s work and ours work for Docker.
/// </summary>
public sealed class Credentials(string path)
{
    public static Credentials Default() => new(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d
        ? System.IO.Path.Combine(d, "config.json")
        : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json"));

    public string Path => path;

    public (string User, string Password)? Find(string registry)
    {
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
        var root = Load();
        var auths = root["auths"] as JsonObject ?? new JsonObject();
        root["auths"] = auths;
        auths[Keys(registry)[0]] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        Write(root);
    }

    public bool Remove(string registry)
    {
        var root = Load();
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
        return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? new JsonObject();
    }

    private void Write(JsonObject root)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
