namespace Containode;

/// <summary>
/// The image a container was made of, fixed when it was made (LIB/ID/image): the reference, the manifest whose
/// tree is its root, and how the image says to run it (entrypoint, cmd, env, working directory, user as
/// numbers). A later pull of the same name changes nothing for the container, as docker has it.
/// </summary>
public sealed record ContainerImage(string Reference, string Manifest, string Root)
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }

    public static string FileIn(string lib) => Path.Combine(lib, "image");

    public void Save(string lib)
    {
        var lines = new List<string> { "reference=" + Reference, "manifest=" + Manifest, "root=" + Root };
        lines.AddRange(Entrypoint.Select(a => "entrypoint=" + a));
        lines.AddRange(Cmd.Select(a => "cmd=" + a));
        lines.AddRange(Env.Select(a => "env=" + a));
        if (WorkingDir is not null) lines.Add("workdir=" + WorkingDir);
        if (User is not null) lines.Add("user=" + User);
        AtomicFile.Write(FileIn(lib), string.Join('\n', lines) + "\n");
    }

    public static ContainerImage? Load(string lib)
    {
        var file = FileIn(lib);
        if (!File.Exists(file)) return null;
        var pairs = File.ReadAllLines(file).Where(l => l.IndexOf('=') > 0).Select(l => (Key: l[..l.IndexOf('=')], Value: l[(l.IndexOf('=') + 1)..])).ToList();
        string? One(string key) => pairs.FindLast(p => p.Key == key).Value;
        List<string> All(string key) => [.. pairs.Where(p => p.Key == key).Select(p => p.Value)];
        return new ContainerImage(One("reference") ?? "", One("manifest") ?? "", One("root") ?? "")
        {
            Entrypoint = All("entrypoint"), Cmd = All("cmd"), Env = All("env"), WorkingDir = One("workdir"), User = One("user"),
        };
    }
}
