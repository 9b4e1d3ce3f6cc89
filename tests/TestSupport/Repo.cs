namespace Containet.TestSupport;

/// <summary>Where the checkout and its built programs are, found from the test assembly's folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The runnable program `make` put in bin/ (tests run after `make`, as `make test` does).</summary>
    public static string Program(string name)
    {
        var path = Path.Combine(Root, "bin", name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run `make` (or `make test`) first");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "containet.sln")))
                return dir.FullName;
        throw new InvalidOperationException("containet.sln not found above " + AppContext.BaseDirectory);
    }
}
