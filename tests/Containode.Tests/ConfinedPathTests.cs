using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

/// <summary>Paths a container's image or options name stay inside its root, and identities are names, not paths.</summary>
public sealed class ConfinedPathTests(BusyboxRoot root) : IClassFixture<BusyboxRoot>
{
    [RootFact]
    public void Absolute_symlinks_in_the_image_lead_nowhere_outside()
    {
        using var dir = new TempDir("containode-links");
        var image = dir.Combine("image");
        var host = dir.Combine("host");
        var volume = dir.Combine("volume");
        Run.Command("cp", "-a", root.Path, image).EnsureSuccess();
        Directory.CreateDirectory(host);
        Directory.CreateDirectory(volume);
        File.WriteAllText(Path.Combine(volume, "f"), "from the volume\n");
        Directory.Delete(Path.Combine(image, "etc"), recursive: true);
        File.CreateSymbolicLink(Path.Combine(image, "etc"), host);
        File.CreateSymbolicLink(Path.Combine(image, "mnt"), host);

        var r = Containers.Run("-r", image, "-t", dir.Combine("top"), "-v", volume + ":/mnt/x", "/bin/cat", "/mnt/x/f");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("from the volume\n", r.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(host));
    }

    [RootFact]
    public void A_volume_target_with_dot_dot_stays_inside()
    {
        using var dir = new TempDir("containode-dotdot");
        File.WriteAllText(dir.Combine("f"), "inside\n");
        var name = "x" + Unique.Name();

        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", $"{dir.Path}:/../../../../{name}", "/bin/cat", $"/{name}/f");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("inside\n", r.Stdout);
        foreach (var outside in (string[])["/run/containet/containers", "/run/containet", "/run", "/"])
            Assert.False(Path.Exists(Path.Combine(outside, name)), $"{name} was made in {outside}");
    }

    [RootFact]
    public void A_volume_on_the_root_itself_is_refused()
    {
        using var dir = new TempDir("containode-vroot");
        var r = Containers.Run("-r", root.Path, "-t", root.NewTop(), "-v", dir.Path + ":/..", "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot be the container's root", r.Stderr);
    }

    [RootFact]
    public void Identities_that_are_paths_are_refused_and_the_run_directory_is_untouched()
    {
        // In a private mount namespace with a tmpfs over /run/containet: a regression cannot touch the machine's.
        var containode = Repo.Program("containode");
        var script = $"""
            set -u
            mkdir -p /run/containet && mount -t tmpfs scratch /run/containet
            mkdir /run/containet/containers /run/containet/containers/other && touch /run/containet/canary.sock
            {containode} -i .. -r {root.Path} -t {root.NewTop()} /bin/true; echo "dotdot=$?"
            {containode} -i . -r {root.Path} -t {root.NewTop()} /bin/true; echo "dot=$?"
            {containode} -i 'a/b' -r {root.Path} -t {root.NewTop()} /bin/true; echo "slash=$?"
            {containode} -r {root.Path} -t {root.Path}.. /bin/true; echo "topdots=$?"
            ls -A /run/containet /run/containet/containers
            """;
        var r = Run.Command("unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script);

        Assert.Contains("dotdot=2", r.Stdout);
        Assert.Contains("dot=2", r.Stdout);
        Assert.Contains("slash=2", r.Stdout);
        Assert.Contains("topdots=2", r.Stdout);
        Assert.Contains("canary.sock", r.Stdout);
        Assert.Contains("other", r.Stdout);
        Assert.False(Directory.Exists(root.Path + ".."), "no TOP may be made for a refused identity");
    }

    [RootTheory]
    [InlineData("/tmp/top")]
    [InlineData("")]
    [InlineData("/..")]
    public void A_top_inside_root_or_around_it_is_refused(string relative)
    {
        var r = Containers.Run("-r", root.Path, "-t", root.Path + relative, "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("must not lie inside each other", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "tmp", "top")), "nothing may be written into the image");
    }

    [RootFact]
    public void Without_a_root_the_hosts_is_read_only_with_a_private_tmp()
    {
        var name = "containet-test-" + Unique.Name();
        try
        {
            var r = Containers.Run("/bin/sh", "-c", $"touch /etc/{name} 2>/dev/null || echo etc-refused; touch /tmp/{name} && echo tmp-ok");

            Assert.Contains("etc-refused", r.Stdout);
            Assert.Contains("tmp-ok", r.Stdout);
            Assert.Contains("read-only", r.Stderr);
            Assert.False(File.Exists("/tmp/" + name), "the container's /tmp is its own");
        }
        finally
        {
            File.Delete("/etc/" + name);
            File.Delete("/tmp/" + name);
        }
    }
}
