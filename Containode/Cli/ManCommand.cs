using Containet.Native;

namespace Containode.Cli;

/// <summary>`containode man`: the manual page, from the verb table and option lists --help renders.</summary>
public static class ManCommand
{
    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count > 0) throw new UsageException("man takes no arguments");
        Posix.WriteOutput(Page());
        return 0;
    }

    public static string Page()
    {
        var page = new ManPage("containode", "run commands in containers plugged into a containet switch")
            .Section("Synopsis", "containode [OPTIONS] [--] COMMAND [ARGS...]", "containode VERB [OPTIONS] ...")
            .Section("Description", "Starts COMMAND in a new container, its eth0 plugged into a containet switch (the original form), " +
                "or manages containers with a verb, as docker and podman name them.")
            .Options("Options", SpecForms.Original.Select(Of))
            .Heading("Verbs");
        foreach (var verb in Verbs.All) page.Command("containode " + verb.Usage, verb.Summary, verb.Options.Select(Of));
        return page.ToString();
    }

    private static ManOption Of(CliOption o) =>
        new([.. o.Short is { } c ? ["-" + c] : Array.Empty<string>(), o.Long], o.ValueName, o.Help);
}
