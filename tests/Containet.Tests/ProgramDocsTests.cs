using System.Text.RegularExpressions;
using Containet.TestSupport;
using Xunit;

namespace Containet.Tests;

/// <summary>
/// The manual pages, completions and systemd units `make install` puts in place: the manuals list exactly the
/// options each --help lists, completion completes, and systemd-analyze finds nothing to say about the units.
/// </summary>
public sealed partial class ProgramDocsTests
{
    public static TheoryData<string> Programs => new() { "containet", "containode", "mocker" };

    [Theory]
    [MemberData(nameof(Programs))]
    public void Every_section_of_the_manual_lists_the_options_its_help_lists(string program)
    {
        var page = Run.Command(Repo.Program(program), "man").EnsureSuccess().Stdout;
        var sections = Sections(page);
        Assert.True(sections.Count >= 5, $"{program} man has only {sections.Count} sections");

        foreach (var (command, manOptions) in sections)
        {
            string[] args = command is null ? ["--help"] : [command, "--help"];
            var help = Run.Command(Repo.Program(program), args).EnsureSuccess().Stdout;
            var helpOptions = HelpOptions(help);
            Assert.True(helpOptions.SetEquals(manOptions),
                $"{program} {command}: the manual lists [{string.Join(' ', manOptions.Order())}], --help [{string.Join(' ', helpOptions.Order())}]");
        }
    }

    [Fact]
    public void Every_program_says_the_same_version_with_version()
    {
        var versions = new[] { "containet", "containode", "mocker" }.Select(p => Run.Command(Repo.Program(p), "--version").EnsureSuccess().Stdout).ToList();
        var verb = Run.Command(Repo.Program("containode"), "version").EnsureSuccess().Stdout;

        Assert.Matches(@"^\d+\.\d+\.\d+\S*\n$", versions[0]);
        Assert.All(versions, v => Assert.Equal(versions[0], v));
        Assert.Equal(versions[0], verb);
        Assert.Equal(2, Run.Command(Repo.Program("containode"), "version", "extra").ExitCode);
    }

    [Theory]
    [InlineData("containet", "containet att", "attach")]
    [InlineData("containet", "containet -s /x.sock attach --ne", "--netns")]
    [InlineData("containet", "containet completion z", "zsh")]
    [InlineData("mocker", "mocker pu", "pull")]
    [InlineData("mocker", "mocker pull --pla", "--platform")]
    [InlineData("containode", "containode sta", "start start-all stats")]
    [InlineData("containode", "containode run --re", "--restart --read-only")]
    public void Bash_completion_completes_commands_and_their_options(string program, string line, string expected)
    {
        var words = line.Split(' ');
        var script = $"source <('{Repo.Program(program)}' completion bash) && COMP_WORDS=({line}) && COMP_CWORD={words.Length - 1} && " +
            $"_{program} && echo \"${{COMPREPLY[*]}}\"";
        var r = Run.Command("bash", ["-c", script]).EnsureSuccess();
        Assert.Equal(expected.Split(' ').Order(), r.Stdout.Trim().Split(' ').Order());
    }

    [Fact]
    public void Install_puts_manuals_completions_and_units_that_systemd_accepts()
    {
        using var dir = new TempDir("containet-install");
        // A prefix inside the temp folder, so the units' ExecStart paths exist for systemd-analyze to check.
        Run.Command("sh", [Path.Combine(Repo.Root, "scripts/install.sh"), "", dir.Path]).EnsureSuccess();

        foreach (var p in new[] { "containet", "containode", "mocker" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, "share/bash-completion/completions", p)));
            Assert.True(File.Exists(Path.Combine(dir.Path, "share/zsh/site-functions", "_" + p)));
            var man = Run.Command("man", ["-P", "cat", "-l", Path.Combine(dir.Path, "share/man/man1", p + ".1")],
                env: new Dictionary<string, string> { ["MANWIDTH"] = "80" }).EnsureSuccess();
            Assert.Contains("SYNOPSIS", man.Stdout);
            Assert.Contains("--help", man.Stdout);
        }
        // containode finds the job server and the remote client beside its own folder, where they were installed.
        var serve = Run.Command(Path.Combine(dir.Path, "bin/containode"), ["serve", "--help"]).EnsureSuccess();
        Assert.Contains("--tls-ca", serve.Stdout);
        var remote = Run.Command(Path.Combine(dir.Path, "bin/containode"), ["--host", "127.0.0.1:9", "ps", "--help"]).EnsureSuccess();
        Assert.Contains("--tls-server-name", remote.Stdout);
        var units = Directory.GetFiles(Path.Combine(dir.Path, "lib/systemd/system"), "*.service");
        Assert.Equal(["containet.service", "containode-start-all.service"], units.Select(Path.GetFileName).Order());
        var verify = Run.Command("systemd-analyze", ["verify", .. units],
            env: new Dictionary<string, string> { ["MANPATH"] = Path.Combine(dir.Path, "share/man") });
        Assert.True(verify.ExitCode == 0 && verify.Stderr.Trim().Length == 0, verify.Stdout + verify.Stderr);
        Assert.Contains($"ExecStart={dir.Path}/bin/containet --socket /run/containet/containet.sock", File.ReadAllText(units.Single(u => u.EndsWith("containet.service", StringComparison.Ordinal))));
    }

    /// <summary>The manual's option lists: null for the program's own options, else the command's name.</summary>
    private static List<(string? Command, HashSet<string> Options)> Sections(string page)
    {
        var sections = new List<(string?, HashSet<string>)>();
        HashSet<string>? current = null;
        foreach (var line in page.Split('\n'))
        {
            if (line == ".SH OPTIONS") sections.Add((null, current = []));
            else if (line.StartsWith(".SS ", StringComparison.Ordinal)) sections.Add((line.Split(' ')[2].Replace("\\-", "-", StringComparison.Ordinal), current = []));
            else if (line.StartsWith(".SH", StringComparison.Ordinal)) current = null;
            else if (current is not null && line.StartsWith("\\fB", StringComparison.Ordinal))
                foreach (Match m in ManName().Matches(line)) current.Add(m.Groups[1].Value.Replace("\\-", "-", StringComparison.Ordinal));
        }
        return sections;
    }

    /// <summary>The names in the option column of --help (lines indented, then -x, --xx ...).</summary>
    private static HashSet<string> HelpOptions(string help)
    {
        var names = new HashSet<string>();
        foreach (var line in help.Split('\n'))
        {
            var m = HelpLine().Match(line);
            if (!m.Success) continue;
            foreach (var name in m.Groups[1].Value.Split(", ")) if (name != "-?") names.Add(name.Split(' ')[0]);
        }
        return names;
    }

    [GeneratedRegex(@"\\fB(\\-[^\\]*(?:\\-[^\\]*)*)\\fR")]
    private static partial Regex ManName();

    [GeneratedRegex(@"^ {2,6}(-[^\s,]+(?: [A-Z<][^\s,]*)?(?:, -[^\s,]+(?: [A-Z<][^\s,]*)?)*)")]
    private static partial Regex HelpLine();
}
