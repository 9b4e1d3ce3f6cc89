namespace Containet.TestSupport;

/// <summary>
/// Runs programs under a compiled seccomp filter on the host: gcc builds native/seccomp-run.c (loads a BPF
/// program with no_new_privs and execs) and native/syscall-probe.c (makes named calls that fail or change
/// nothing, and prints their errno). The filter restricts only the process it runs; everything lives in a
/// temp folder removed on Dispose.
/// </summary>
public sealed class SeccompRunner : IDisposable
{
    private readonly TempDir dir = new("containet-seccomp");
    private readonly string loader;
    private readonly string probe;

    public SeccompRunner()
    {
        loader = Build("seccomp-run");
        probe = Build("syscall-probe");
    }

    public string Dir => dir.Path;

    /// <summary>Runs a command with <paramref name="program"/> as its seccomp filter.</summary>
    public RunResult Run(byte[] program, params string[] command)
    {
        var file = dir.Combine($"filter-{Unique.Name()}.bpf");
        File.WriteAllBytes(file, program);
        try
        {
            return TestSupport.Run.Command(loader, [file, .. command], TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Each probe's errno (0 for success), under <paramref name="program"/> or, when null, under no filter.</summary>
    public Dictionary<string, int> Probe(byte[]? program, params string[] names)
    {
        var result = program is null
            ? TestSupport.Run.Command(probe, names, TimeSpan.FromSeconds(30))
            : Run(program, [probe, .. names]);
        result.EnsureSuccess();
        var errnos = new Dictionary<string, int>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            errnos[parts[0]] = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return errnos;
    }

    private string Build(string name)
    {
        var output = dir.Combine(name);
        var source = Path.Combine(Repo.Root, "tests", "TestSupport", "native", name + ".c");
        TestSupport.Run.Command("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source).EnsureSuccess();
        return output;
    }

    public void Dispose() => dir.Dispose();
}
