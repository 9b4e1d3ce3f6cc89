using System.Formats.Tar;
using Containet.TestSupport;
using Mocker.Tests;
using Xunit;

namespace Containode.Tests;

/// <summary>
/// A user other than root runs an image by name with no sudo: mocker pulls it from a real registry on 127.0.0.1
/// into the user's own store (~/.local/share/containet/images, or under XDG_DATA_HOME), not root's.
/// </summary>
public sealed class RootlessImageTests(AppImage image) : IClassFixture<AppImage>, IDisposable
{
    private readonly UnprivilegedUser user = new();

    [RootFact]
    public void Run_image_as_a_user_pulls_into_their_own_store_and_uses_the_images_config()
    {
        var r = user.Containode(["-u", "MOCKER_STORE"], "run", "--rm", image.Reference);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal("hello from /tmp\n", r.Stdout);
        var store = Path.Combine(user.Home, ".local", "share", "containet", "images");
        Assert.Contains(image.Reference, UserMocker([], "images").Stdout);
        Assert.Equal(user.Uid.ToString(), Run.Command("stat", "-c", "%u", store).Stdout.Trim());
        // The image's root-owned files are the user's, who is root inside.
        var busybox = Directory.GetFiles(Path.Combine(store, "rootfs"), "busybox", SearchOption.AllDirectories);
        Assert.NotEmpty(busybox);
        Assert.All(busybox, f => Assert.Equal(user.Uid.ToString(), Run.Command("stat", "-c", "%u", f).Stdout.Trim()));
        Assert.Empty(user.LeftRunDirectories());
    }

    [RootFact]
    public void A_users_pull_maps_the_images_owners_into_their_subordinate_ids_and_the_container_sees_them()
    {
        var r = user.Containode(["-u", "MOCKER_STORE"], "run", "--rm", image.Reference, "/bin/sh", "-c", "stat -c '%u %g %a' /home/app /home/app/note /bin/busybox");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal("1000 1001 750\n1000 1001 640\n0 0 755\n", r.Stdout);
        var note = Directory.GetFiles(Path.Combine(Store, "rootfs"), "note", SearchOption.AllDirectories).Single();
        var start = uint.Parse(user.SubordinateStart, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{start + 999} {start + 1000}", Run.Command("stat", "-c", "%u %g", note).Stdout.Trim());

        // The tree holds files only the user's namespace may remove: mocker rm removes them there.
        var rm = UserMocker([], "rm", image.Reference);
        Assert.True(rm.ExitCode == 0, rm.Stdout + rm.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "rootfs")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "tmp")));
    }

    [RootFact]
    public void Without_subordinate_ranges_a_users_pull_keeps_every_file_theirs()
    {
        user.DropSubordinateRanges();
        var r = user.Containode(["-u", "MOCKER_STORE"], "run", "--rm", image.Reference, "/bin/sh", "-c", "stat -c '%u %g' /home/app/note");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal("0 0\n", r.Stdout);
        var note = Directory.GetFiles(Path.Combine(Store, "rootfs"), "note", SearchOption.AllDirectories).Single();
        Assert.Equal($"{user.Uid}", Run.Command("stat", "-c", "%u", note).Stdout.Trim());
    }

    [RootFact]
    public void A_layers_symlink_out_of_the_tree_leads_no_owner_onto_the_users_own_files()
    {
        var home = user.Home;
        var layer = ScriptedRegistry.Layer(
            new PaxTarEntry(TarEntryType.SymbolicLink, "out") { LinkName = home },
            new PaxTarEntry(TarEntryType.RegularFile, "out/planted") { Uid = 1000, Gid = 1000, Mode = (UnixFileMode)0x1a4, DataStream = new MemoryStream([1]) });
        using var registry = ScriptedRegistry.Of(ScriptedRegistry.Config, layer);

        var pull = UserMocker([], "pull", registry.Reference);

        Assert.True(pull.ExitCode == 0, pull.Stdout + pull.Stderr);
        Assert.False(File.Exists(Path.Combine(home, "planted")), "the entry lands inside the tree, not in the user's home");
        Assert.Equal(user.Uid.ToString(), Run.Command("stat", "-c", "%u", home).Stdout.Trim());
        // Inside the tree, where the link resolves to when the root is the tree's (a walk on the host would follow it home).
        var planted = Path.Combine(Directory.GetDirectories(Path.Combine(Store, "rootfs")).Single(), home.TrimStart('/'), "planted");
        var start = uint.Parse(user.SubordinateStart, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{start + 999}", Run.Command("stat", "-c", "%u", planted).Stdout.Trim());
    }

    private string Store => Path.Combine(user.Home, ".local", "share", "containet", "images");

    [RootFact]
    public void Xdg_data_home_moves_the_users_store()
    {
        var data = Path.Combine(user.Home, "data");
        var r = user.Containode(["-u", "MOCKER_STORE", "XDG_DATA_HOME=" + data], "run", "--rm", image.Reference, "/bin/true");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains(image.Reference, UserMocker(["XDG_DATA_HOME=" + data], "images").Stdout);
        Assert.True(Directory.Exists(Path.Combine(data, "containet", "images", "rootfs")));
        Assert.False(Directory.Exists(Path.Combine(user.Home, ".local", "share", "containet", "images")));
    }

    private RunResult UserMocker(string[] env, params string[] args) =>
        Run.Command("runuser", ["-u", user.Name, "--", "env", "-u", "MOCKER_STORE", .. env, "HOME=" + user.Home, Repo.Program("mocker"), .. args], TimeSpan.FromSeconds(60));

    public void Dispose() => user.Dispose();
}
