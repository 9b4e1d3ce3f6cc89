namespace Containode.Remote.Tests;

/// <summary>
/// The server reads no configuration file, so it watches none: ASP.NET Core's default would watch its working folder
/// and every folder under it with inotify, which for a server started in its state's folder (or in /) is every file
/// of every job.
/// </summary>
[Collection(nameof(RemoteCollection))]
public sealed class WorkingFolderTests(BusyboxRoot root)
{
    [RootFact]
    public void A_server_nobody_follows_watches_no_folder()
    {
        using var node = new RemoteNode(root.Path);
        var alice = node.Client("alice");
        alice.Ended(alice.Shell("echo done").Id);

        var watches = Directory.GetFiles($"/proc/{node.ServerPid}/fdinfo")
            .SelectMany(File.ReadAllLines).Where(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)).ToList();
        Assert.True(watches.Count == 0, "containode serve watches:\n" + string.Join('\n', watches));
    }
}
