using Containet.TestSupport;
using Xunit;

namespace Containode.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir dir = new("containet-atomic");

    public void Dispose() => dir.Dispose();

    private static string Inode(string path) => Run.Command("stat", "-c", "%i", path).EnsureSuccess().Stdout.Trim();

    [Fact]
    public void The_same_text_leaves_the_file_as_it_is_and_other_text_replaces_it_whole()
    {
        var path = dir.Combine("info");
        AtomicFile.Write(path, "name=a\n");
        var first = Inode(path);

        AtomicFile.Write(path, "name=a\n");
        Assert.Equal(first, Inode(path));

        AtomicFile.Write(path, "name=b\n");
        Assert.NotEqual(first, Inode(path));
        Assert.Equal("name=b\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
